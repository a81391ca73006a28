// A transition the alliance refuses (an illegal state change, an old pledge version, a second
// application): the handler shows its translated message; nothing was written.
export class AllianceRefusal extends Error {
  constructor(
    /** A catalogue key under `alliance.refusals.`. */
    readonly messageKey: string,
  ) {
    super(messageKey);
  }
}
