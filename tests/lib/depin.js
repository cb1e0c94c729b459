// What a DePIN worker computes, in JavaScript: the quantized diagnosis and the commitment of
// btt_primitives::depin (blake2-256 of the SCALE-encoded preimage). Used by the e2e test and
// the demo to play the part of honest workers.

import { stringToU8a, u8aConcat } from '@polkadot/util';
import { blake2AsHex, blake2AsU8a } from '@polkadot/util-crypto';

/** A quantized diagnosis: findings bytes, image quality, model confidence, uncertainty (%). */
export function diagnosisOf (api, findings, { quality = 90, confidence = 80, uncertainty = 10 } = {}) {
  return api.createType('BttPrimitivesDepinDiagnosis', {
    findings,
    imageQuality: quality,
    modelConfidence: confidence,
    uncertainty
  });
}

/** A node's salt for a task (any 32 secret bytes will do; this one is reproducible). */
export function saltOf (node, task) {
  return blake2AsU8a(stringToU8a(`salt of ${node} for task ${task}`), 256);
}

/** blake2_256(SCALE("btt/depin/commit", task, model, input, node, diagnosis, salt)). */
export function commitmentOf (api, { task, model, input, node, diagnosis, salt }) {
  return blake2AsHex(u8aConcat(
    stringToU8a('btt/depin/commit'),
    api.createType('u64', task).toU8a(),
    api.createType('H256', model).toU8a(),
    api.createType('H256', input).toU8a(),
    api.createType('AccountId32', node).toU8a(),
    diagnosis.toU8a(),
    salt
  ), 256);
}

/**
 * The node key's consent to being registered for `operator`:
 * sign(SCALE("btt/depin/node-key", operator, genesis hash)), as btt_primitives::depin::node_key_proof_payload.
 */
export function nodeKeyProof (api, nodeKey, operatorAddress) {
  const payload = u8aConcat(
    stringToU8a('btt/depin/node-key'),
    api.createType('AccountId32', operatorAddress).toU8a(),
    api.genesisHash.toU8a()
  );
  return { Sr25519: nodeKey.sign(payload) };
}

/** A tier-1 node registration whose node key is the operator's own account. */
export function registerConsumerNode (api, operator, stake, proof = nodeKeyProof(api, operator, operator.address)) {
  return api.tx.depinRegistry.registerNode(
    operator.address, 'Consumer',
    { gpuMemoryGb: 8, benchmarkScore: 300, powerWatts: 300 },
    'Europe', 0b11111, stake, proof);
}

/**
 * The seal an auditor puts in a challenge's reference:
 * blake2_256(SCALE("btt/depin/seal", auditor, model, input, expected findings, salt)), as
 * btt_primitives::depin::challenge_seal.
 */
export function challengeSealOf (api, { auditor, model, input, findings, salt }) {
  return blake2AsHex(u8aConcat(
    stringToU8a('btt/depin/seal'),
    api.createType('AccountId32', auditor).toU8a(),
    api.createType('H256', model).toU8a(),
    api.createType('H256', input).toU8a(),
    api.createType('Bytes', findings).toU8a(),
    salt
  ), 256);
}

/** The model id of a safetensors file name (the demo's stand-in for hashing the file). */
export function modelIdOf (name) {
  return blake2AsHex(stringToU8a(name), 256);
}
