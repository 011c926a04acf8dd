import type { Config } from '../config/load-config.js';
import { SmtpSender } from '../connectors/mail/smtp-sender.js';
import type { AccountDeps } from '../portal/accounts/account-deps.js';
import { ensurePortalBuild } from '../portal/build-portal.js';
import { cabinetApp } from '../portal/cabinet-app.js';
import type { CoreServices } from './services.js';
import { makeCabinetMailIntake } from './cabinet-mail-intake.js';
import type { Logger } from './logger.js';

/** What the account functions need, from the settings; the caller closes `smtp`. */
export function accountDeps(config: Config, core: Pick<CoreServices, 'db'>, smtp: SmtpSender): AccountDeps {
  return {
    db: core.db, smtp, publicUrl: config.publicUrl, supportName: config.companyName, messageIdDomain: config.mail.messageIdDomain,
    timeZone: config.timeZone, settings: config.cabinet,
  };
}

/** The client cabinet for a process's HTTP server: builds the app when needed, returns its routes. */
export async function runCabinet(config: Config, core: CoreServices, log: Logger) {
  const assetsDir = await ensurePortalBuild((msg) => log.info(msg));
  const smtp = new SmtpSender(config.mail.smtpUrl, config.mail.from, config.mail.sendRatePerSecond);
  const mailIntake = makeCabinetMailIntake(config, core);
  const router = cabinetApp({
    ...accountDeps(config, core, smtp), blobs: core.blobs, log, assetsDir, mailIntake, supportAddress: config.mail.ownAddresses[0],
  });
  return { router, stop: async () => { smtp.close(); await mailIntake.close(); } };
}
