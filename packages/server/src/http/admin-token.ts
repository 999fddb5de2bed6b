// A token travels as `Authorization: Bearer <token>`: visible ASCII without spaces is what a
// client can send there and what the header's grammar lets the server read back whole.
const TOKEN = /^[\x21-\x7e]+$/;

/** Whether `token` can work as the admin token: one or more visible ASCII characters, no spaces. */
export function isAdminToken(token: string): boolean {
  return TOKEN.test(token);
}

/** Throws a RangeError for a configured admin token no request could ever present. */
export function checkAdminToken(token: string | undefined): void {
  if (token !== undefined && !isAdminToken(token))
    throw new RangeError('the admin token must be visible ASCII characters without spaces');
}

// Compares in time that depends only on the expected token's length, so response times
// do not tell an attacker how much of a guess was right.
function sameToken(given: string, expected: string): boolean {
  let difference = given.length ^ expected.length;
  for (let i = 0; i < expected.length; i++) difference |= expected.charCodeAt(i) ^ (given.charCodeAt(i) || 0);
  return difference === 0;
}

/** Whether a request may act as admin: always without a token, else with `Authorization: Bearer <token>`. */
export function authorized(request: Request, token: string | undefined): boolean {
  if (token === undefined) return true;
  const match = /^Bearer +(\S+) *$/i.exec(request.headers.get('authorization') ?? '');
  return match !== null && sameToken(match[1] as string, token);
}
