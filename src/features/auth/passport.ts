// passport keeps the user id and a credentials version in the session and reloads the user on
// each request, so a disabled account, a changed role, or a changed password (which signs out
// every other session) takes effect at once. One Passport instance per app, not the global one.
import mongoose from 'mongoose';
import { Passport } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { toSessionUser } from '../users/model.js';
import { findUserById } from '../users/service.js';
import { trustedDevice } from './deviceCookie.js';
import { type LockoutPolicy, type SignInResult, signIn } from './service.js';

/** What the local strategy tells the sign-in handler when it refuses. */
export type SignInRefusal = Exclude<SignInResult, { kind: 'ok' }> & { message: string };

/** What the session holds about who is signed in. */
interface SessionKey {
  id: string;
  credentials: number;
}

function isSessionKey(value: unknown): value is SessionKey {
  const key = value as Partial<SessionKey> | null;
  return (
    typeof key?.id === 'string' && mongoose.isValidObjectId(key.id) && typeof key.credentials === 'number'
  );
}

export type Authenticator = InstanceType<typeof Passport>;

/** `secureCookies`: production, where the device cookie has the `__Host-` prefix. */
export function createAuthenticator(policy: LockoutPolicy, secureCookies: boolean): Authenticator {
  const passport = new Passport();
  passport.use(
    new LocalStrategy(
      { usernameField: 'email', passwordField: 'password', passReqToCallback: true },
      (req, email, password, done) => {
        signIn({ email, password, device: trustedDevice(req, email, secureCookies) }, policy)
          .then((result) =>
            result.kind === 'ok'
              ? done(null, toSessionUser(result.user))
              : done(null, false, { message: result.kind, ...result }),
          )
          .catch((error: unknown) => done(error));
      },
    ),
  );
  passport.serializeUser<SessionKey>((user, done) =>
    done(null, { id: user.id, credentials: user.credentialsVersion }),
  );
  passport.deserializeUser((key: unknown, done) => {
    if (!isSessionKey(key)) {
      done(null, false);
      return;
    }
    findUserById(key.id)
      .then((user) => {
        const current = user && user.status === 'active' ? toSessionUser(user) : undefined;
        done(null, current && current.credentialsVersion === key.credentials ? current : false);
      })
      .catch((error: unknown) => done(error));
  });
  return passport;
}
