// Every feature's scheduled jobs. Importing a feature's jobs module registers its jobs with the
// scheduler (defineJob); startPortal imports this list before it starts the scheduler.
// A new feature adds its line here (the stats puller: './features/stats/jobs.js').
import './features/alliance/jobs.js';
import './features/mail/jobs.js';
import './features/notifications/digest.js';
import './features/stats/jobs.js';
