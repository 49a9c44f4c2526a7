/**
 * The receipt a citizen keeps: tracking code, QR code to the tracking page, the case secret
 * (to act on the case later), what happens next and by when, in the case's language. Pure: a
 * pdfmake document definition from the case's public data.
 */
import { DateTime } from 'luxon';

export interface ReceiptData {
  locale: string;
  timeZone: string;
  projectName: string;
  trackingCode: string;
  caseSecret: string | null;
  category: string;
  submittedAt: string;
  acknowledgeBy: string | null;
  resolveBy: string | null;
  trackingUrl: string;
}

type Words = Record<string, string>;
const WORDS: Record<string, Words> = {
  en: {
    title: 'Grievance receipt', code: 'Tracking code', secret: 'Case secret', secretNote: 'Keep this private: with it you can rate, accept or appeal the outcome.',
    category: 'Category', submitted: 'Received', next: 'What happens next', ack: 'Acknowledged by', resolve: 'Resolved by',
    escalation: 'If a deadline is missed, your grievance goes to a higher level automatically, with new deadlines.', track: 'Follow your grievance at', scan: 'or scan the code.',
  },
  fr: {
    title: 'Récépissé de réclamation', code: 'Code de suivi', secret: 'Code secret du dossier', secretNote: 'Gardez-le pour vous : il permet de noter, d’accepter ou de contester la réponse.',
    category: 'Catégorie', submitted: 'Reçue le', next: 'La suite', ack: 'Accusé de réception avant le', resolve: 'Résolution avant le',
    escalation: 'Si un délai n’est pas tenu, votre réclamation passe automatiquement au niveau supérieur, avec de nouveaux délais.', track: 'Suivez votre réclamation sur', scan: 'ou scannez le code.',
  },
  hi: {
    title: 'शिकायत की पावती', code: 'ट्रैकिंग कोड', secret: 'मामले का गुप्त कोड', secretNote: 'इसे गोपनीय रखें: इससे आप परिणाम को रेटिंग दे सकते हैं, स्वीकार कर सकते हैं या अपील कर सकते हैं।',
    category: 'श्रेणी', submitted: 'प्राप्ति', next: 'आगे क्या होगा', ack: 'पावती की अंतिम तिथि', resolve: 'समाधान की अंतिम तिथि',
    escalation: 'समय-सीमा चूकने पर आपकी शिकायत नई समय-सीमा के साथ अपने आप उच्च स्तर पर जाएगी।', track: 'अपनी शिकायत यहाँ देखें', scan: 'या कोड स्कैन करें।',
  },
};

export function receiptDefinition(d: ReceiptData): Record<string, any> {
  const w = WORDS[d.locale] ?? WORDS.en;
  const when = (iso: string | null) => (iso ? DateTime.fromISO(iso, { zone: d.timeZone }).setLocale(d.locale).toLocaleString(DateTime.DATETIME_MED) : '—');
  const row = (label: string, value: string) => [{ text: label, color: '#555555' }, { text: value, bold: true }];
  return {
    info: { title: `${w.title} ${d.trackingCode}` },
    pageSize: 'A5',
    pageMargins: [32, 32, 32, 32],
    content: [
      { text: d.projectName, fontSize: 11, color: '#444444' },
      { text: w.title, fontSize: 18, bold: true, margin: [0, 4, 0, 12] },
      {
        columns: [
          {
            width: '*',
            stack: [
              { text: w.code, color: '#555555' },
              { text: d.trackingCode, fontSize: 16, bold: true, margin: [0, 2, 0, 8] },
              ...(d.caseSecret ? [{ text: w.secret, color: '#555555' }, { text: d.caseSecret, fontSize: 12, bold: true }, { text: w.secretNote, fontSize: 8, color: '#555555', margin: [0, 2, 0, 0] }] : []),
            ],
          },
          { width: 96, qr: d.trackingUrl || d.trackingCode, fit: 96 },
        ],
      },
      {
        margin: [0, 14, 0, 0],
        table: { widths: [110, '*'], body: [row(w.category, d.category), row(w.submitted, when(d.submittedAt))] },
        layout: 'noBorders',
      },
      { text: w.next, fontSize: 13, bold: true, margin: [0, 14, 0, 6] },
      { table: { widths: [110, '*'], body: [row(w.ack, when(d.acknowledgeBy)), row(w.resolve, when(d.resolveBy))] }, layout: 'noBorders' },
      { text: w.escalation, margin: [0, 8, 0, 0] },
      ...(d.trackingUrl
        ? [
            { text: w.track, margin: [0, 12, 0, 0], fontSize: 9 },
            { text: d.trackingUrl, fontSize: 9, bold: true },
            { text: w.scan, fontSize: 9 },
          ]
        : []),
    ],
  };
}
