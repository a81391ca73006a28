// passport keeps only the user id in the session and reloads the user on each request, so a
// disabled account or a changed role takes effect at once.
import mongoose from 'mongoose';
import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { UserModel, toSessionUser } from '../users/model.js';
import { type LockoutPolicy, type SignInResult, signIn } from './service.js';

/** What the local strategy tells the sign-in handler when it refuses. */
export type SignInRefusal = Exclude<SignInResult, { kind: 'ok' }> & { message: string };

export function configurePassport(policy: LockoutPolicy): typeof passport {
  passport.use(
    new LocalStrategy({ usernameField: 'email', passwordField: 'password' }, (email, password, done) => {
      signIn(email, password, policy)
        .then((result) => (result.kind === 'ok' ? done(null, toSessionUser(result.user)) : done(null, false, { message: result.kind, ...result })))
        .catch((error: unknown) => done(error));
    }),
  );
  passport.serializeUser((user, done) => done(null, user.id));
  passport.deserializeUser((id: unknown, done) => {
    if (typeof id !== 'string' || !mongoose.isValidObjectId(id)) {
      done(null, false);
      return;
    }
    UserModel.findById(id)
      .then((user) => done(null, user && user.status === 'active' ? toSessionUser(user) : false))
      .catch((error: unknown) => done(error));
  });
  return passport;
}
