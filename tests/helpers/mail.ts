/**
 * A real SMTP server on loopback (smtp-server) that parses what it receives (mailparser), and a
 * local HTTP server standing in for an SMS gateway. Both can be stopped and started again on
 * the same port, to test what happens while a provider is down.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser, ParsedMail } from 'mailparser';

export interface MailSink {
  port: number;
  messages: ParsedMail[];
  stop: () => Promise<void>;
  start: () => Promise<void>;
}

export async function startMailSink(port = 0): Promise<MailSink> {
  const messages: ParsedMail[] = [];
  let server: SMTPServer | null = null;
  const sink: MailSink = {
    port,
    messages,
    async start() {
      server = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS'],
        logger: false,
        onData(stream, _session, callback) {
          simpleParser(stream)
            .then((mail) => {
              messages.push(mail);
              callback();
            })
            .catch(callback);
        },
      });
      await new Promise<void>((resolve) => server!.listen(sink.port, '127.0.0.1', () => resolve()));
      sink.port = (server!.server.address() as AddressInfo).port;
    },
    async stop() {
      if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
      server = null;
    },
  };
  await sink.start();
  return sink;
}

export interface GatewaySink {
  url: string;
  requests: Array<{ headers: http.IncomingHttpHeaders; body: string }>;
  stop: () => Promise<void>;
}

export async function startGateway(): Promise<GatewaySink> {
  const requests: GatewaySink['requests'] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      requests.push({ headers: req.headers, body });
      res.writeHead(201, { 'Content-Type': 'application/json' }).end('{"sid":"SM1"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/2010-04-01/Accounts/AC1/Messages.json`, requests, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}
