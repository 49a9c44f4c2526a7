import { safeName, sniff } from './attachments';

const b = (...parts: Array<string | number[]>) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

describe('attachment sniffing', () => {
  it('recognises photos, PDFs and voice notes by their first bytes', () => {
    expect(sniff(b([0xff, 0xd8, 0xff, 0xe0]))?.mime).toBe('image/jpeg');
    expect(sniff(b([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))?.mime).toBe('image/png');
    expect(sniff(b('RIFF', [0, 0, 0, 0], 'WEBPVP8 '))?.mime).toBe('image/webp');
    expect(sniff(b('%PDF-1.7'))?.mime).toBe('application/pdf');
    expect(sniff(b('OggS', [0]))?.mime).toBe('audio/ogg');
  });
  it('refuses HTML, SVG, scripts and executables, whatever their name', () => {
    for (const head of ['<!DOCTYPE html><html>', '<svg xmlns="http://www.w3.org/2000/svg">', '<?xml version="1.0"?><svg', '#!/bin/sh\nrm -rf /', 'MZ\x90\x00', '\x7fELF', 'PK\x03\x04']) {
      expect(sniff(b(head))).toBeNull();
    }
  });
  it('stores a safe name with the sniffed extension', () => {
    expect(safeName('../../etc/passwd<script>.html', '.png')).toBe('etcpasswdscript.png');
    expect(safeName('पानी की समस्या.jpeg', '.jpg')).toBe('पानी की समस्या.jpg');
    expect(safeName(undefined, '.pdf')).toBe('attachment.pdf');
  });
});
