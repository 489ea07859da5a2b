import { createTransport, type Transporter } from 'nodemailer';

/** One validation mail: what ACM's approval mail tells the domain owner. */
export interface ValidationMail {
  to: string;
  domain: string;
  validationDomain: string;
  accountId: string;
  region: string;
  certificateId: string;
  approveUrl: string;
  /** A managed renewal's mail: the certificate exists and needs approving again before it can be renewed. */
  renewal?: boolean;
}

export interface Mailer {
  send(m: ValidationMail): Promise<void>;
}

/** Real SMTP through nodemailer (`CERTTRAIL_SMTP_URL`, e.g. smtp://127.0.0.1:2525). */
export function smtpMailer(url: string, from: string): Mailer {
  const transport: Transporter = createTransport(url);
  return {
    async send(m) {
      const text = [
        `Greetings from certtrail (AWS Certificate Manager),`,
        ``,
        m.renewal
          ? `The SSL/TLS certificate for ${m.domain} expires soon. To renew it automatically, the domain owner must approve the renewal.`
          : `We received a request to issue an SSL/TLS certificate for ${m.domain}.`,
        ``,
        `Verify that the following domain, AWS account ID, and certificate identifier correspond to a request from you or someone in your organization.`,
        ``,
        `Domain: ${m.domain}`,
        `AWS account ID: ${m.accountId}`,
        `AWS Region name: ${m.region}`,
        `Certificate identifier: ${m.certificateId}`,
        ``,
        `To approve this ${m.renewal ? 'renewal' : 'request'}, go to the Amazon Certificate Approvals page at:`,
        m.approveUrl,
        ``,
        `The link expires 72 hours after this message was sent. This message was sent to ${m.to} because it is one of the addresses ACM uses for ${m.validationDomain}.`,
      ].join('\n');
      await transport.sendMail({ from, to: m.to, subject: `Certificate ${m.renewal ? 'renewal ' : ''}approval for ${m.domain}`, text });
    },
  };
}
