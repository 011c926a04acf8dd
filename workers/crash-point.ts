// Test-only crash points, for the chaos check (bench/chaos.ts): a process started with
// MODEST_CRASH_AT=<point> (read by config, armed by main/) dies with exit code 137, as a
// SIGKILL would, the first time it reaches that point. Unset (production), a call is one
// comparison. The points are the narrow windows between an outside effect and our record of it.
export type CrashPoint =
  /** Ingest: the slice is committed; its job is not finished and the intake has not flagged the mail. */
  | 'after-ingest-commit'
  /** Send: SMTP accepted the mail; "sent" is not recorded yet. */
  | 'after-smtp-accepted'
  /** Bitrix24 call: the portal acted and answered; the answer is not stored yet. */
  | 'after-portal-acted';

let armed: string | undefined;

export function armCrashPoint(point: string | undefined): void {
  armed = point;
}

export function crashPoint(point: CrashPoint): void {
  if (armed === point) process.exit(137);
}
