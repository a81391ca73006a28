// Each pulled platform's feed health, shared by every instance (the MongoDB state store): breaker
// state with cockatiel's snapshot, last success and error, counts, and the officers' pause.
import mongoose, { type InferSchemaType, Schema } from 'mongoose';

const platformStateSchema = new Schema(
  {
    platform: { type: String, required: true, unique: true },
    paused: { type: Boolean, default: false },
    pausedReason: { type: String, maxlength: 500 },
    pausedBy: { type: String },
    pausedAt: { type: Date },
    breaker: { type: String, enum: ['closed', 'open', 'half_open'], default: 'closed' },
    breakerReason: { type: String },
    breakerOpenedAt: { type: Date },
    breakerRetryAt: { type: Date },
    lastSuccessAt: { type: Date },
    lastErrorAt: { type: Date },
    lastError: { type: String },
    requests: { type: Number, default: 0 },
    retries: { type: Number, default: 0 },
    outcomes: { type: Schema.Types.Mixed, default: {} },
    breakerSnapshot: { type: Schema.Types.Mixed },
  },
  { minimize: false, timestamps: true },
);

export type PlatformState = InferSchemaType<typeof platformStateSchema>;

export const PlatformStateModel = mongoose.model('PlatformState', platformStateSchema, 'statPlatforms');
