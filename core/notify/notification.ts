// The core's notification provider contract. Development writes mail to the log; production
// sends it over SMTP; a plugin may provide its own per tenant (SMS, a mail API, ...).
import nodemailer from 'nodemailer';
import type { Logger } from 'pino';

export interface Message {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

export interface NotificationProvider {
  /** Unique among notification providers (`log`, `smtp`, a plugin's own). */
  readonly id?: string;
  readonly name: string;
  send(message: Message, meta: { tenantId: string | null; requestId: string }): Promise<void>;
}

export class LogNotificationProvider implements NotificationProvider {
  readonly name = 'log';
  constructor(private readonly log: Logger) {}

  async send(message: Message, meta: { tenantId: string | null; requestId: string }): Promise<void> {
    this.log.info({ mail: message, tenantId: meta.tenantId, requestId: meta.requestId }, `mail to ${message.to} (development: written to the log, not sent)`);
  }
}

export class SmtpNotificationProvider implements NotificationProvider {
  readonly name = 'smtp';
  private readonly transport: nodemailer.Transporter;

  constructor(url: string, private readonly from: string) {
    this.transport = nodemailer.createTransport(url);
  }

  async send(message: Message): Promise<void> {
    await this.transport.sendMail({ from: this.from, to: message.to, subject: message.subject, text: message.text, html: message.html });
  }
}

declare module '../extensions.js' {
  interface ProviderMap {
    notification: NotificationProvider & { id: string };
  }
}
