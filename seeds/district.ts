// The demo district: who can sign in to a fresh portal. Builders in later features extend it
// (profiles, accounts, memberships); every entry is keyed by email so seeding twice changes nothing.
import type { Role, StreetScope } from '../src/features/users/model.js';

export interface DemoUser {
  email: string;
  displayName: string;
  role: Role;
  streetScope?: StreetScope;
}

/** One password for every demo log-in; the portal prints it at start in the offline lane. */
export const demoPassword = 'lighthouse-demo-2026';

export const demoUsers: DemoUser[] = [
  { email: 'admin@lighthouse.example', displayName: '系统管理员', role: 'admin' },
  {
    email: 'office@lighthouse.example',
    displayName: '区网信办 王科长',
    role: 'officer',
    streetScope: 'district',
  },
  {
    email: 'pingshan.officer@lighthouse.example',
    displayName: '坪山街道 李干事',
    role: 'officer',
    streetScope: 'pingshan',
  },
  {
    email: 'kengzi.officer@lighthouse.example',
    displayName: '坑梓街道 陈干事',
    role: 'officer',
    streetScope: 'kengzi',
  },
  // The five self-media accounts named in the source article.
  { email: 'pstz@lighthouse.example', displayName: '坪山同镇', role: 'creator' },
  { email: 'psz@lighthouse.example', displayName: '坪山之眼', role: 'creator' },
  { email: 'psyx@lighthouse.example', displayName: '坪山印象', role: 'creator' },
  { email: 'inpingshan@lighthouse.example', displayName: 'IN坪山', role: 'creator' },
  { email: 'ligaoxing@lighthouse.example', displayName: '李高兴', role: 'creator' },
  // Creators who are not (yet) alliance members.
  { email: 'maluan.hiker@lighthouse.example', displayName: '马峦山行者', role: 'creator' },
  { email: 'longtian.food@lighthouse.example', displayName: '龙田美食记', role: 'creator' },
  // Alliance demo (seeds/builders/alliance.ts): an application needing more information, a suspended member.
  { email: 'biling.photo@lighthouse.example', displayName: '碧岭光影', role: 'creator' },
  { email: 'shijing.runner@lighthouse.example', displayName: '石井跑团', role: 'creator' },
  // Directory demo (seeds/builders/directory.ts): a member who withdrew consent to be listed.
  { email: 'pingshan.reading@lighthouse.example', displayName: '坪山夜读', role: 'creator' },
];
