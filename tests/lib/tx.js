// Sending transactions and reading their outcome the way a polkadot.js app does.

/**
 * The types a client registers to pay fees in an asset: polkadot.js types
 * `ChargeAssetTxPayment`'s `assetId` as Asset Hub's, BTT's is `NativeOrWithId<u32>`
 * (docs/runtime.md).
 */
export const FEE_ASSET_TYPES = {
  BttAssetKind: { _enum: { Native: 'Null', WithId: 'u32' } },
  TAssetConversion: 'Option<BttAssetKind>'
};

/**
 * Signs and sends `tx` (with `options` such as `{ nonce }`), resolving once it is in a finalized block with its events and, if the
 * dispatch failed, the error's `section.name` (e.g. `tokenization.KycMissing`).
 */
export function sendAndFinalize (tx, signer, options = {}) {
  return new Promise((resolve, reject) => {
    let unsubscribe = () => {};
    tx.signAndSend(signer, options, (result) => {
      if (result.isError) {
        unsubscribe();
        reject(new Error(`transaction failed: ${result.status.type}`));
      } else if (result.status.isFinalized) {
        unsubscribe();
        const { dispatchError } = result;
        resolve({
          blockHash: result.status.asFinalized,
          events: result.events,
          dispatchError,
          error: dispatchError ? errorName(tx.registry, dispatchError) : null
        });
      }
    }).then((unsub) => { unsubscribe = unsub; }, reject);
  });
}

/** `section.name` of a dispatch error (module errors), else its string form. */
export function errorName (registry, dispatchError) {
  if (dispatchError.isModule) {
    const { section, name } = registry.findMetaError(dispatchError.asModule);
    return `${section}.${name}`;
  }
  return dispatchError.toString();
}
