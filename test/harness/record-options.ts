import { ackText } from '../../connectors/mail/render-outgoing-mail.js';
import type { RecordInboundOptions } from '../../tickets/record-inbound-mails.js';

/** The settings tests record inbound mail with, as a worker has them (support@modest.example, "Acme Support"). */
export function recordOptions(o: Partial<RecordInboundOptions> = {}): RecordInboundOptions {
  return {
    ownAddresses: ['support@modest.example'], messageIdDomain: 'modest.example', defaultLanguage: 'ru', reopenDays: 14,
    ackText: ackText('Acme Support'), now: new Date(), ...o,
  };
}
