// Builds the Express app from its dependencies. No connecting, no listening: src/server.ts does
// that, and tests build the app against their own database lane.
import { randomUUID } from 'node:crypto';
import cookieParser from 'cookie-parser';
import express, { type Express } from 'express';
import type { Store } from 'express-session';
import type { i18n } from 'i18next';
import { pinoHttp } from 'pino-http';
import type { Config } from './config.js';
import { adminRoutes } from './features/admin/routes.js';
import { accountRoutes } from './features/account/routes.js';
import { createAuthenticator } from './features/auth/passport.js';
import { authRoutes } from './features/auth/routes.js';
import { creatorRoutes } from './features/creator/routes.js';
import { healthRoutes } from './features/health/routes.js';
import { homeRoutes } from './features/home/routes.js';
import { officeRoutes } from './features/office/routes.js';
import { csrfProtection, csrfTokenLocal } from './http/csrf.js';
import { errorHandler, notFound } from './http/errors.js';
import { flash } from './http/flash.js';
import { formBodies } from './http/forms.js';
import { pageLocals, userLocals } from './http/locals.js';
import { securityHeaders } from './http/security.js';
import { sessions } from './http/session.js';
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
}

export function createApp(deps: AppDependencies): Express {
  const { config } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxyHops);
  useViews(app, config.isProduction);

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
  app.use(securityHeaders(config.isProduction));
  app.use(express.static(publicDir, { index: false, maxAge: config.isProduction ? '1d' : 0 }));
  app.use(healthRoutes(deps.isDatabaseReady));

  app.use(cookieParser());
  app.use(i18nMiddleware(deps.i18n));
  app.use(pageLocals(deps.lane));
  app.use(formBodies());
  app.use(sessions(deps.sessionStore, config.sessionSecret, config.isProduction));
  const passport = createAuthenticator(config.login);
  app.use(passport.initialize());
  app.use(passport.session());
  app.use(userLocals);
  app.use(flash);
  app.use(csrfTokenLocal);
  app.use(csrfProtection);

  app.use(homeRoutes(config.isProduction));
  app.use(authRoutes(config.login.rateLimit, passport));
  app.use(accountRoutes(config.login.rateLimit));
  app.use(creatorRoutes());
  app.use(officeRoutes());
  app.use(adminRoutes());

  app.use(notFound);
  app.use(errorHandler(!config.isProduction));
  return app;
}
