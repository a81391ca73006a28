// One pass of the recurring pull (a "stat run"): when it started and ended, how far it got per
// platform (due / done, counts by outcome), and a heartbeat. At most one run is active across
// every instance (a unique partial index on `active`); a run whose heartbeat stopped (its process
// was killed) is taken over by the next instance and resumed, keeping its start as the cut-off.
import mongoose, { type HydratedDocument, type InferSchemaType, Schema } from 'mongoose';
import { outcomeKinds } from './outcomes.js';

export const runStates = ['running', 'finished', 'stopped'] as const;
export type RunState = (typeof runStates)[number];

const countsDefinition = Object.fromEntries(outcomeKinds.map((kind) => [kind, { type: Number, default: 0 }]));

const platformProgressSchema = new Schema(
  {
    /** Accounts due when the platform's walk started (or resumed, plus those done before). */
    due: { type: Number, default: 0 },
    done: { type: Number, default: 0 },
    ...countsDefinition,
  },
  { _id: false },
);

const statRunSchema = new Schema(
  {
    state: { type: String, enum: runStates, required: true, default: 'running' },
    /** true while running; unset when it ends (the unique partial index allows one active run). */
    active: { type: Boolean },
    trigger: { type: String, enum: ['schedule', 'manual'], default: 'schedule' },
    startedAt: { type: Date, required: true },
    endedAt: { type: Date },
    /** Accounts last tried before this are due in this run. */
    dueBefore: { type: Date, required: true },
    heartbeatAt: { type: Date, required: true },
    /** The scheduler instance running it (host, pid, random). */
    instance: { type: String, required: true },
    /** Times another instance took it over after its heartbeat stopped. */
    resumes: { type: Number, default: 0 },
    totals: { type: new Schema(countsDefinition, { _id: false }), default: () => ({}) },
    platforms: { type: Map, of: platformProgressSchema, default: () => new Map() },
  },
  { minimize: false },
);
statRunSchema.index({ active: 1 }, { unique: true, partialFilterExpression: { active: true } });
statRunSchema.index({ startedAt: -1 });

export type StatRun = InferSchemaType<typeof statRunSchema>;
export type StatRunDocument = HydratedDocument<StatRun>;

export const StatRunModel = mongoose.model('StatRun', statRunSchema, 'statRuns');
