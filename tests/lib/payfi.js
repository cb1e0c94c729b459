// Billing codes as a clinic's software builds them for `payfi.pay`: CDT procedure codes as
// their numbers, ICD-10-CM diagnoses as seven upper-case bytes without the dot, and the claim
// number and the patient as salted hashes the clinic alone can map back (docs/pallets/payfi.md).

import { blake2AsHex } from '@polkadot/util-crypto';
import { u8aConcat, u8aToHex } from '@polkadot/util';

const DAY_MS = 86_400_000;

/** The chain's day (days since 1970-01-01, UTC) by its timestamp. */
export async function chainDay (api) {
  return Math.floor((await api.query.timestamp.now()).toNumber() / DAY_MS);
}

/** `D0120` → 120. */
export function procedure (code) {
  if (!/^D\d{4}$/.test(code)) throw new Error(`not a CDT code: ${code}`);
  return Number(code.slice(1));
}

/** `K02.52` → the 7 bytes `K0252\0\0`, hex. */
export function diagnosis (code) {
  const characters = code.replace('.', '').toUpperCase();
  if (!/^[A-Z]\d[A-Z0-9]{1,5}$/.test(characters)) throw new Error(`not an ICD-10-CM code: ${code}`);
  const bytes = new Uint8Array(7);
  bytes.set(new TextEncoder().encode(characters));
  return u8aToHex(bytes);
}

/** A salted hash: what the chain keeps of a claim number or a patient reference. */
export function saltedHash (salt, value) {
  return blake2AsHex(`${salt}:${value}`, 256);
}

/** The `BillingCode` argument of `payfi.pay`. */
export function billingCode ({ procedures, diagnoses = [], claim, patient, day, insurer = null, salt }) {
  return {
    procedures: procedures.map(procedure),
    diagnoses: diagnoses.map(diagnosis),
    claim: saltedHash(salt, claim),
    encounterDay: day,
    patient: saltedHash(salt, patient),
    insurer
  };
}

/** The context every voucher signature is bound to (`pallet_payfi::VOUCHER_CONTEXT`). */
export const VOUCHER_CONTEXT = new TextEncoder().encode('btt/payfi/tab/v1');

/**
 * The bytes a tab's payer signs for a voucher: the context, the chain's genesis hash, then the
 * SCALE encoding of the tab id (u64), the cumulative amount (u128) and the nonce (u64)
 * (`pallet_payfi::voucher_payload`).
 */
export function voucherMessage (api, { tab, cumulative, nonce }) {
  const encoded = api.createType('(u64, u128, u64)', [tab, cumulative, nonce]).toU8a();
  return u8aConcat(VOUCHER_CONTEXT, api.genesisHash.toU8a(), encoded);
}

/** A voucher signed by `payer` (an sr25519 or ed25519 keyring pair), as `redeemVoucher` takes it. */
export function signVoucher (api, payer, voucher) {
  const signature = payer.sign(voucherMessage(api, voucher));
  return { voucher, signature: { [payer.type === 'ed25519' ? 'Ed25519' : 'Sr25519']: signature } };
}
