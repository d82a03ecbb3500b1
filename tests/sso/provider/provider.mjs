// A real OpenID Connect provider (node's oidc-provider) on loopback, for Kring's single
// sign-on tests: started by the session fixture in tests/sso/conftest.py.
//
//   node provider.mjs   with, in the environment:
//     KRING_SSO_CLIENT_ID, KRING_SSO_CLIENT_SECRET   the client Kring is
//     KRING_SSO_REDIRECT_URI                         Kring's callback on the live test server
//     KRING_SSO_NOW                                  the tests' "now", epoch milliseconds
//
// It listens on a free port of 127.0.0.1 and prints one line, "issuer <URL>", when ready.
// Each line "clock <epoch ms>" on its standard input sets its clock anew: Kring's tests run on
// a frozen clock (time-machine), and the tokens this provider signs must be fresh on it.
//
// Its sign-in page is oidc-provider's development one (any password); the login names one of
// ACCOUNTS below, anything else is refused. Consent is given by itself (a first-party client).

import http from 'node:http';
import readline from 'node:readline';

const RealDate = Date;
let offset = 0;
class ShiftedDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(RealDate.now() + offset);
    else super(...args);
  }

  static now() {
    return RealDate.now() + offset;
  }
}
globalThis.Date = ShiftedDate;

function setClock(epochMs) {
  const value = Number(epochMs);
  if (!Number.isFinite(value)) throw new Error(`not a clock: ${epochMs}`);
  offset = value - RealDate.now();
}

const ACCOUNTS = {
  ada: { email: 'ada@sso.example', email_verified: true, name: 'Ada Lovelace', locale: 'en' },
  bram: { email: 'bram@sso.example', email_verified: false, name: 'Bram Peeters', locale: 'nl' },
};

const required = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

setClock(process.env.KRING_SSO_NOW || RealDate.now());
const { default: Provider } = await import('oidc-provider');

const server = http.createServer();
await new Promise((resolve) => { server.listen(0, '127.0.0.1', resolve); });
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: required('KRING_SSO_CLIENT_ID'),
    client_secret: required('KRING_SSO_CLIENT_SECRET'),
    redirect_uris: [required('KRING_SSO_REDIRECT_URI')],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_post',
  }],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'locale'],
  },
  async findAccount(ctx, id) {
    const account = ACCOUNTS[id];
    if (!account) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: id, ...account };
      },
    };
  },
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    grant.addOIDCClaims(['email', 'email_verified', 'name', 'locale']);
    await grant.save();
    return grant;
  },
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ['kring-test-only-cookie-key'] },
});
// The development sign-in page imports a web font from the internet; the tests reach nothing
// beyond loopback, so the import goes (the browser would otherwise wait for it).
provider.use(async (ctx, next) => {
  await next();
  if (typeof ctx.body === 'string' && ctx.type.includes('html')) {
    ctx.body = ctx.body.replace(/@import url\(https?:\/\/[^)]*\);?/g, '');
  }
});
provider.on('server_error', (ctx, error) => { console.error('server_error', error); });

server.on('request', provider.callback());
console.log(`issuer ${issuer}`);

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const [word, value] = line.trim().split(/\s+/);
  if (word === 'clock') setClock(value);
});
process.stdin.on('end', () => { server.close(); process.exit(0); });
