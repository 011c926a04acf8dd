/**
 * Waits for `p` to settle, but at most `ms`. The timer is cleared once either comes first:
 * left running, it held a stopping process open for the rest of its time.
 */
export async function waitAtMost(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([p, new Promise((resolve) => { timer = setTimeout(resolve, ms); })]);
  } finally {
    clearTimeout(timer);
  }
}
