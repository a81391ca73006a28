// Waiting for something asynchronous (a job, a mail) in tests:
//
//   await until(async () => (await MailModel.findById(id))?.status === 'sent');
//   await sleep(500); // several polling rounds: nothing more happens

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once `condition` holds, polling every 50 ms; throws after `timeoutMs`. */
export async function until(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(50);
  }
}
