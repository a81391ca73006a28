// Notifications, per audience (the same pages, behind each area's guard in app.ts):
//   creator → /me/notifications…      office → /office/notifications… (officers and admins)
import { Router } from 'express';
import { body } from 'express-validator';
import { kindNames } from './catalogue.js';
import { digestSetting } from './catalogue.js';
import {
  markAllReadHandler,
  markReadHandler,
  saveSettingsHandler,
  showNotifications,
  showSettings,
} from './handlers.js';

const settingsRules = [
  body('mail').optional().toArray(),
  body('mail.*')
    .isIn([...kindNames, digestSetting])
    .withMessage('validation.choice'),
];

function notificationsRouter(): Router {
  const router = Router();
  /** GET /notifications — the person themselves. */
  router.get('/notifications', showNotifications);
  /** POST /notifications/read-all — the person themselves. */
  router.post('/notifications/read-all', markAllReadHandler);
  /** GET /notifications/settings — the person themselves. */
  router.get('/notifications/settings', showSettings);
  /** POST /notifications/settings — the person themselves. */
  router.post('/notifications/settings', settingsRules, saveSettingsHandler);
  /** POST /notifications/:id/read — the person themselves (someone else's id: as unknown). */
  router.post('/notifications/:id/read', markReadHandler);
  return router;
}

export function notificationRoutes(): { creator: Router; office: Router } {
  return { creator: notificationsRouter(), office: notificationsRouter() };
}
