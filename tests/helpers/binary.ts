/** A supertest parser that keeps a response body as raw bytes (PDF, Excel, CSV downloads). */
import type { Response } from 'superagent';

export function asBuffer(res: Response, done: (error: Error | null, body: Buffer) => void) {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}
