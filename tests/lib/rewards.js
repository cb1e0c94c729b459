// What a connected oral-hygiene device and an education author's tool compute off chain for
// `pallet-patient-rewards` (docs/pallets/patient-rewards.md): the device's registration proof
// and its signed daily summaries, salted answer hashes and a patient's answer commitment. Each
// message is the SCALE encoding the pallet builds, so a signature made here verifies on chain.

import { u8aToHex } from '@polkadot/util';
import { blake2AsHex } from '@polkadot/util-crypto';

const DEVICE_DOMAIN = 'btt/rewards/device/v1';
const HYGIENE_DOMAIN = 'btt/rewards/hygiene/v1';
const ANSWER_DOMAIN = 'btt/rewards/answer/v1';
const COMMITMENT_DOMAIN = 'btt/rewards/answers/v1';

/** A connected device: its own sr25519 key signs its registration and each day's summary. */
export class DeviceSimulator {
  /** `pair` is the device's keyring pair; `api` the chain it talks to (for its genesis hash). */
  constructor (api, pair) {
    this.api = api;
    this.pair = pair;
  }

  get address () {
    return this.pair.address;
  }

  /** The proof `registerDevice` takes: `"btt/rewards/device/v1" ‖ genesis ‖ SCALE(patient)`, signed. */
  registrationProof (patient) {
    const message = this.api.createType('(Bytes, H256, AccountId32)', [DEVICE_DOMAIN, this.api.genesisHash, patient]).toU8a();
    return { Sr25519: this.pair.sign(message) };
  }

  /**
   * One day's summary and its signature, as `submitHygiene` takes them: the counts the device
   * measured and the hash of its raw data (which never leaves the device).
   */
  summary (patient, { day, sessions, minutes, rawData }) {
    const summary = { device: this.address, day, sessions, minutes, dataHash: blake2AsHex(rawData, 256) };
    const message = this.api.createType('(Bytes, H256, AccountId32, AccountId32, u32, u8, u16, H256)', [
      HYGIENE_DOMAIN, this.api.genesisHash, patient, summary.device, day, sessions, minutes, summary.dataHash
    ]).toU8a();
    return { summary, signature: { Sr25519: this.pair.sign(message) } };
  }
}

/** The hash of question `index`'s answer under `salt` (`Pallet::answer_hash`). */
export function answerHash (api, salt, index, answer) {
  return blake2AsHex(api.createType('(Bytes, H256, u32, u8)', [ANSWER_DOMAIN, salt, index, answer]).toU8a(), 256);
}

/** A patient's commitment to its answers to `module` (`Pallet::answers_commitment`). */
export function answersCommitment (api, patient, module, answers, nonce) {
  const encoded = api.createType('(Bytes, AccountId32, u64, Bytes, H256)', [
    COMMITMENT_DOMAIN, patient, module, u8aToHex(Uint8Array.from(answers)), nonce
  ]).toU8a();
  return blake2AsHex(encoded, 256);
}

/** The data of every `patientRewards.<method>` event of a transaction's result. */
export function rewardEvents (events, method) {
  return events
    .filter(({ event }) => event.section === 'patientRewards' && event.method === method)
    .map(({ event }) => event.data);
}
