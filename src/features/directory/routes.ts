// The public directory (anyone; app.ts mounts the router with the other public ones):
//   GET /                     home: the alliance, live totals, newest and featured members
//   GET /members              search, filters, sort, pages (works without JavaScript)
//   GET /members.csv          the same search as a CSV download
//   GET /members/:slug        a public member's page
//   GET /members/:slug/avatar their avatar
// The open-data API (/api/v1) is api.ts, mounted before sessions.
import { Router } from 'express';
import { downloadCsv, showAvatar, showDirectory, showHome, showMember } from './handlers.js';
import { directoryQueryRules } from './validation.js';

export function directoryRoutes(options: { publicUrl: string | undefined }): { public: Router } {
  const publicRouter = Router();
  /** GET / — anyone. */
  publicRouter.get('/', showHome);
  /** GET /members — anyone. */
  publicRouter.get('/members', directoryQueryRules, showDirectory);
  /** GET /members.csv — anyone. */
  publicRouter.get('/members.csv', directoryQueryRules, downloadCsv(options.publicUrl));
  /** GET /members/:slug — anyone. */
  publicRouter.get('/members/:slug', showMember(options.publicUrl));
  /** GET /members/:slug/avatar — anyone. */
  publicRouter.get('/members/:slug/avatar', showAvatar);
  return { public: publicRouter };
}
