import type { Logger } from './logger.js';

/** One thing a newcomer opens once the demo is ready: a web address or a folder, with a hint. */
export interface DemoAddress {
  label: string;
  /** A URL or a local path. */
  at: string;
  /** What to do there, in a few words (logins, where to click). */
  hint?: string;
}

/**
 * The block printed after "ready" on a terminal: each address on a line of its own, label
 * column aligned, the hint indented under it, so the addresses can be clicked or copied.
 */
export function formatDemoAddresses(addresses: readonly DemoAddress[]): string {
  const width = Math.max(...addresses.map((a) => a.label.length));
  const lines = ['', 'Modest demo is ready. Open:', ''];
  for (const a of addresses) {
    lines.push(`  ${a.label.padEnd(width)}  ${a.at}`);
    if (a.hint) lines.push(`  ${' '.repeat(width)}  ${a.hint}`);
  }
  lines.push('', 'Stop with Ctrl-C.', '');
  return `${lines.join('\n')}\n`;
}

/**
 * "ready", then the addresses on lines of their own: a readable block for a person at a
 * terminal, one JSON line per address otherwise (a pipe or a service manager).
 */
export function announceDemoReady(log: Logger, addresses: readonly DemoAddress[], pretty: boolean,
  write: (s: string) => void = (s) => { process.stdout.write(s); }): void {
  log.info('demo ready');
  if (pretty) {
    write(formatDemoAddresses(addresses));
    return;
  }
  for (const a of addresses) log.info({ at: a.at, ...(a.hint ? { hint: a.hint } : {}) }, `open: ${a.label}`);
}
