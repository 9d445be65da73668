// Interoperability driver for src/auth/interop_test.cc: reads one JSON
// request file and prints one JSON response. Uses only the `jose` package.
//   {"op":"verify","alg":..,"jwk":{..},"token":..,"issuer":..,"audience":..,"typ":..}
//     -> {"ok":true,"payload":{..}} or {"ok":false,"error":".."}
//   {"op":"sign","alg":..,"kid":..,"issuer":..,"audience":..,"typ":..,"subject":..}
//     -> {"ok":true,"token":..,"jwk":{..}}   (jwk: public key, or the oct secret for HS*)
import { readFileSync } from 'node:fs';
import * as jose from 'jose';

const request = JSON.parse(readFileSync(process.argv[2], 'utf8'));

async function verify() {
  const key = await jose.importJWK(request.jwk, request.alg);
  const { payload, protectedHeader } = await jose.jwtVerify(request.token, key, {
    algorithms: [request.alg],
    issuer: request.issuer,
    audience: request.audience,
    typ: request.typ,
  });
  return { ok: true, payload, header: protectedHeader };
}

async function sign() {
  let signingKey;
  let jwk;
  if (request.alg.startsWith('HS')) {
    signingKey = await jose.generateSecret(request.alg, { extractable: true });
    jwk = await jose.exportJWK(signingKey);
  } else {
    const pair = await jose.generateKeyPair(request.alg, { extractable: true });
    signingKey = pair.privateKey;
    jwk = await jose.exportJWK(pair.publicKey);
  }
  jwk.alg = request.alg;
  jwk.kid = request.kid;
  jwk.use = 'sig';
  const token = await new jose.SignJWT({ sub: request.subject, scope: ['read', 'write'] })
    .setProtectedHeader({ alg: request.alg, kid: request.kid, typ: request.typ })
    .setIssuer(request.issuer)
    .setAudience(request.audience)
    .setIssuedAt()
    .setExpirationTime('5m')
    .setJti('jose-' + request.alg)
    .sign(signingKey);
  return { ok: true, token, jwk };
}

try {
  const response = request.op === 'sign' ? await sign() : await verify();
  process.stdout.write(JSON.stringify(response));
} catch (e) {
  process.stdout.write(JSON.stringify({ ok: false, error: String(e && e.code ? e.code : e) }));
}
