// Sign-in with a key file in the page (the one-line 0x… private key `gpunet keys new` writes): the key is read in this
// tab only, signs the coordinator's challenge as EIP-191 personal_sign, and is dropped; it never leaves the browser.
import { getPublicKey, signAsync } from './vendor/secp256k1.js';
import { keccak_256 } from './vendor/hashes/sha3.js';
import { api } from './api.js';

const hex = bytes => Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
const utf8 = text => new TextEncoder().encode(text);

function secretKey(text) {
  const h = text.trim().replace(/^0x/i, '');
  if (!/^[0-9a-fA-F]{64}$/.test(h)) throw new Error('not a key file: one line, the private key as 64 hex digits (gpunet keys new writes one)');
  return Uint8Array.from(h.match(/../g), b => parseInt(b, 16));
}

// The Ethereum address of a key: the last 20 bytes of keccak-256 of its uncompressed public key.
export function addressOf(sk) {
  return '0x' + hex(keccak_256(getPublicKey(sk, false).slice(1)).slice(12));
}

async function personalSign(text, sk) {
  const message = utf8(text);
  const digest = keccak_256(new Uint8Array([...utf8(`\x19Ethereum Signed Message:\n${message.length}`), ...message]));
  const sig = await signAsync(digest, sk, { prehash: false, format: 'recovered' });
  // noble gives recovery || r || s; the API takes r || s || v with v = 27 + recovery.
  return '0x' + hex(sig.slice(1)) + (27 + sig[0]).toString(16);
}

// Signs in with the key in `text`; returns the API's token response.
export async function signIn(text) {
  const sk = secretKey(text);
  try {
    const address = addressOf(sk);
    const challenge = await api('/api/v1/auth/challenge', { method: 'POST', body: { address } });
    const signature = await personalSign(challenge.message, sk);
    return await api('/api/v1/auth/token', {
      method: 'POST', body: { address, nonce: challenge.nonce, timestamp: challenge.timestamp, signature },
    });
  } finally {
    sk.fill(0);
  }
}
