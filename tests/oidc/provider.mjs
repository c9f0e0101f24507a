// A real OpenID provider for the single sign-on tests: node's certified `oidc-provider`
// (installed from package-lock.json), on loopback, with one confidential client and a few fixed
// people. Its built-in login form (devInteractions) signs in whoever's address is typed as the
// login, with any password; then it asks for consent.
//
//   node tests/oidc/provider.mjs PORT HOST CLIENT_ID CLIENT_SECRET REDIRECT_URI
//
// PORT 0 takes a free port. HOST names the issuer (http://HOST:PORT); it must resolve to
// 127.0.0.1, where the server listens: `localhost` puts the provider on another site than a
// service at 127.0.0.1, as a council's provider is. Once it answers, one line of JSON goes to
// standard output: {"issuer": "..."}.

import http from 'node:http';

import Provider from 'oidc-provider';

const [port, host, clientId, clientSecret, redirectUri] = process.argv.slice(2);
if (!redirectUri) {
  console.error('usage: provider.mjs PORT HOST CLIENT_ID CLIENT_SECRET REDIRECT_URI');
  process.exit(2);
}

// The people the tests sign in as, by the login typed at the provider.
const PEOPLE = {
  'philippa.gibbs@bromley.gov.uk': { name: 'Philippa Gibbs', email_verified: true },
  'graham.arthur@bromley.gov.uk': { name: 'Graham Arthur', email_verified: true },
  'someone@elsewhere.example': { name: 'Someone Elsewhere', email_verified: true },
  'unconfirmed@bromley.gov.uk': { name: 'Not Yet Confirmed', email_verified: false },
};

async function findAccount(ctx, id) {
  const person = PEOPLE[id];
  if (!person) return undefined;
  return {
    accountId: id,
    async claims() {
      return { sub: id, email: id, ...person };
    },
  };
}

const server = http.createServer();
server.listen(Number(port), '127.0.0.1', () => {
  const issuer = `http://${host}:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: [{
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: [redirectUri],
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_basic',
    }],
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    // The person's claims in the ID token itself, as Entra ID and Google put them there.
    conformIdTokenClaims: false,
    findAccount,
    cookies: { keys: ['only-for-the-tests-of-single-sign-on'] },
  });
  server.on('request', provider.callback());
  console.log(JSON.stringify({ issuer }));
});
