// Builds the Express app from its dependencies. No connecting, no listening: src/server.ts does
// that, and tests build the app against their own database lane.
import { randomUUID } from 'node:crypto';
import compression from 'compression';
import cookieParser from 'cookie-parser';
import express, { type Express } from 'express';
import type { Store } from 'express-session';
import type { i18n } from 'i18next';
import { pinoHttp } from 'pino-http';
import type { Config } from './config.js';
import { allianceRoutes } from './features/alliance/routes.js';
import { createAuthenticator } from './features/auth/passport.js';
import { auditRoutes } from './features/audit/routes.js';
import { authRoutes } from './features/auth/routes.js';
import { signedInMultipartBodies } from './features/files/upload.js';
import { healthRoutes } from './features/health/routes.js';
import { directoryApi } from './features/directory/api.js';
import { directoryRoutes } from './features/directory/routes.js';
import { emailLinkRoutes } from './features/emailLinks/routes.js';
import { homeRoutes } from './features/home/routes.js';
import { mailRoutes } from './features/mail/routes.js';
import { unreadCountLocals } from './features/notifications/handlers.js';
import { notificationRoutes } from './features/notifications/routes.js';
import { poolRoutes } from './features/pool/routes.js';
import { registryFileRoutes } from './features/registry/fileRoutes.js';
import {
  registryCreatorRoutes,
  registryOfficeRoutes,
  registryPublicRoutes,
} from './features/registry/routes.js';
import { statsRoutes } from './features/stats/routes.js';
import { usersRoutes } from './features/users/routes.js';
import { AssetManifest, staticFiles } from './features/web/assets.js';
import { publicPageCache } from './features/web/cache.js';
import { pageMeta } from './features/web/meta.js';
import { webRoutes } from './features/web/routes.js';
import { requireRole, requireSignedIn } from './http/access.js';
import { csrf } from './http/csrf.js';
import { errorHandler, notFound } from './http/errors.js';
import { flash } from './http/flash.js';
import { formBodies } from './http/forms.js';
import { pageLocals, userLocals } from './http/locals.js';
import { formBodiesOnly, pathTargetsOnly } from './http/requests.js';
import type { RateLimitStoreFactory } from './http/rateLimits.js';
import { securityHeaders } from './http/security.js';
import { sessionTimeouts, sessions } from './http/session.js';
import { i18nMiddleware } from './i18n/index.js';
import type { Logger } from './logger.js';
import { publicDir, useViews } from './views/engine.js';

export interface AppDependencies {
  config: Config;
  logger: Logger;
  sessionStore: Store;
  i18n: i18n;
  lane: { lane: string; inMemory: boolean };
  isDatabaseReady: () => Promise<boolean>;
  /** Where per-IP rate limits are counted (MongoDB, shared by every instance). */
  rateLimitStores: RateLimitStoreFactory;
}

export function createApp(deps: AppDependencies): Express {
  const { config } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxyHops);
  const assets = new AssetManifest(publicDir, !config.isProduction);
  useViews(app, config.isProduction, assets);
  // Every view: whether the admin outbox exists (not in production).
  app.locals.outboxPage = config.mail.outboxPage;

  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const id = randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
    }),
  );
  app.use(compression());
  app.use(securityHeaders(config.isProduction));
  app.use(staticFiles(assets, config.isProduction ? '1d' : 0));
  app.use(healthRoutes(deps.isDatabaseReady));
  app.use(webRoutes({ publicUrl: config.mail.publicUrl }));

  // Signed cookies (device, anonymous CSRF) share the session secret.
  app.use(cookieParser(config.sessionSecret));
  app.use(i18nMiddleware(deps.i18n));
  app.use(pageLocals(deps.lane));
  // The open-data API is stateless: before sessions and CSRF, so it sets no cookie.
  app.use(
    '/api/v1',
    directoryApi({
      publicUrl: config.mail.publicUrl,
      stores: deps.rateLimitStores,
      perMinute: config.apiRateLimit,
    }),
  );
  app.use(pathTargetsOnly);
  app.use(formBodiesOnly);
  app.use(formBodies());
  app.use(pageMeta(config.mail.publicUrl));
  app.use(sessions(deps.sessionStore, config.sessionSecret, config.isProduction, config.session));
  const passport = createAuthenticator(
    { ...config.login, refuseDemo: config.isProduction },
    config.isProduction,
  );
  app.use(passport.initialize());
  app.use(passport.session());
  app.use(sessionTimeouts(config.session));
  app.use(userLocals);
  app.use(unreadCountLocals);
  app.use(flash);
  app.use(publicPageCache);
  const forms = csrf(config.isProduction);
  app.use(forms.tokenLocal);
  // Upload forms carry their CSRF token in the multipart body: read it (signed-in people only) first.
  app.use(signedInMultipartBodies());
  app.use(forms.protection);

  // Each feature exports one router per audience; the audience is the URL prefix, and each
  // area's guard is mounted here once, so a route added under an area cannot forget it.
  const home = homeRoutes(config.isProduction);
  const auth = authRoutes(
    {
      rateLimit: config.login.rateLimit,
      registrationsPerHour: config.login.registrationsPerHour,
      stores: deps.rateLimitStores,
      secureCookies: config.isProduction,
    },
    passport,
  );
  const alliance = allianceRoutes();
  const users = usersRoutes({ rateLimit: config.login.rateLimit, stores: deps.rateLimitStores });
  const mail = mailRoutes({ outboxPage: config.mail.outboxPage });
  const notifications = notificationRoutes();
  const stats = statsRoutes(config);
  // Mail links share the registrations' per-IP hourly allowance (REGISTER_RATE_LIMIT).
  const emailLinks = emailLinkRoutes({
    perHour: config.login.registrationsPerHour,
    stores: deps.rateLimitStores,
  });

  app.use(home.public, auth.public, emailLinks.public, alliance.public);
  app.use(directoryRoutes({ publicUrl: config.mail.publicUrl }).public);
  app.use(registryPublicRoutes());
  app.use('/account', requireSignedIn, users.account, emailLinks.account);
  app.use('/files', requireSignedIn, registryFileRoutes());
  app.use(
    '/me',
    requireRole('creator'),
    registryCreatorRoutes(),
    alliance.creator,
    notifications.creator,
    stats.creator,
  );
  app.use(
    '/office',
    requireRole('officer', 'admin'),
    registryOfficeRoutes(),
    auditRoutes().office,
    poolRoutes().office,
    alliance.office,
    notifications.office,
    stats.office,
  );
  app.use('/admin', requireRole('admin'), home.admin, users.admin, alliance.admin, mail.admin);
  // The creator area was /creator before it was /me: old bookmarks keep working.
  app.use('/creator', (req, res) => {
    res.redirect(301, `/me${req.url === '/' ? '' : req.url}`);
  });

  app.use(notFound);
  app.use(errorHandler(!config.isProduction));
  return app;
}
