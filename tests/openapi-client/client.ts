// A customer's session through a client generated from the coordinator's /openapi/v1.json (openapi-typescript +
// openapi-fetch): sign in with a fresh wallet, place an order, submit KYC. Every value comes out of the generated types
// without a cast (check-no-casts.mjs enforces it); the coordinator's answers are printed as `key=value` lines.
//
//   GPUNET_URL=http://127.0.0.1:7070 GPUNET_ADMIN_TOKEN=gpa_… node dist/client.js
import createClient from "openapi-fetch";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { bytesToHex, concatBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import type { components, paths } from "./schema.js";

type Problem = components["schemas"]["ProblemDetails"];

function setting(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === "") throw new Error(`${name} is not set`);
  return value;
}

function refused(what: string, problem: Problem): Error {
  return new Error(`${what}: ${problem.status ?? "?"} ${problem.title ?? ""}: ${problem.detail ?? ""} (field ${problem.field ?? "-"})`);
}

// An Ethereum address: the last 20 bytes of keccak-256 over the uncompressed public key without its 0x04 prefix.
function addressOf(secretKey: Uint8Array): string {
  const publicKey = secp256k1.getPublicKey(secretKey, false);
  return "0x" + bytesToHex(keccak_256(publicKey.subarray(1)).subarray(12));
}

// EIP-191 personal_sign: keccak-256 of "\x19Ethereum Signed Message:\n" + length + message, signed as r || s || v (v = 27 + recovery id).
function personalSign(message: string, secretKey: Uint8Array): string {
  const body = utf8ToBytes(message);
  const digest = keccak_256(concatBytes(utf8ToBytes(`\x19Ethereum Signed Message:\n${body.length}`), body));
  const recovered = secp256k1.sign(digest, secretKey, { prehash: false, format: "recovered" });
  return "0x" + bytesToHex(recovered.subarray(1)) + (27 + recovered[0]).toString(16);
}

const baseUrl = setting("GPUNET_URL");
const anonymous = createClient<paths>({ baseUrl });
const admin = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${setting("GPUNET_ADMIN_TOKEN")}` } });

const secretKey = secp256k1.utils.randomSecretKey();
const address = addressOf(secretKey);

const challenge = await anonymous.POST("/api/v1/auth/challenge", { body: { address } });
if (challenge.error !== undefined) throw refused("challenge", challenge.error);

const token = await anonymous.POST("/api/v1/auth/token", {
  body: {
    address,
    nonce: challenge.data.nonce,
    timestamp: challenge.data.timestamp,
    signature: personalSign(challenge.data.message, secretKey),
  },
});
if (token.error !== undefined) throw refused("token", token.error);
const customer = createClient<paths>({
  baseUrl,
  headers: { Authorization: `${token.data.tokenType} ${token.data.accessToken}` },
});

const me = await customer.GET("/api/v1/me");
if (me.error !== undefined) throw refused("me", me.error);
console.log(`role=${me.data.role}`);
console.log(`address=${me.data.address ?? "none"}`);
console.log(`expiresIn=${token.data.expiresIn}`);

// The operator funds the wallet: an order's escrow is taken when it is placed.
const deposit = await admin.POST("/api/v1/wallet/deposit", { body: { amount: "1000", to: address } });
if (deposit.error !== undefined) throw refused("deposit", deposit.error);

const order = await customer.POST("/api/v1/orders", {
  body: { gpu: ["H100"], count: 1, maxPrice: 3, type: "on-demand", hours: 1, command: ["echo", "hello"], queueTimeoutMinutes: 30 },
});
if (order.error !== undefined) throw refused("order", order.error);
console.log(`lease=${order.data.leaseId}`);
console.log(`leaseState=${order.data.state}`);

const wallet = await customer.GET("/api/v1/wallet");
if (wallet.error !== undefined) throw refused("wallet", wallet.error);
console.log(`held=${wallet.data.held}`);

const kyc = await customer.POST("/api/v1/kyc", {
  body: {
    kind: "person",
    legalName: "Ada Lovelace",
    dateOfBirth: "1990-12-10",
    country: "DE",
    documentNumber: "C01X00T47",
    documentCountry: "DE",
  },
});
if (kyc.error !== undefined) throw refused("kyc", kyc.error);
console.log(`kyc=${kyc.data.id}`);
console.log(`kycState=${kyc.data.state}`);

// A bad request comes back as a typed problem naming its field.
const bad = await customer.GET("/api/v1/leases/{id}", { params: { path: { id: "not-a-lease" } } });
if (bad.error === undefined) throw new Error("a malformed lease id was accepted");
console.log(`badField=${bad.error.field ?? "none"}`);
