/**
 * Default notification templates (project empty = for every project), in English, French and
 * Hindi. Administrators edit them, or add project-specific ones, in the admin panel.
 * Variables and helpers: plugins/notifications/server/src/domain/templates.ts; docs/notifications.md.
 */
import type { NotificationAudience, NotificationChannel, NotificationEvent } from '../../src/domain/vocabulary';

type Text = { en: [string, string]; fr: [string, string]; hi: [string, string] };
interface Entry {
  event: NotificationEvent;
  audience: NotificationAudience;
  channels: NotificationChannel[];
  text: Text;
}

const CITIZEN: NotificationChannel[] = ['email', 'sms'];
const STAFF: NotificationChannel[] = ['email', 'in_app'];
const ALERT: NotificationChannel[] = ['in_app'];
const ack = '{{formatDate acknowledgeBy "medium"}}';
const res = '{{formatDate resolveBy "medium"}}';
const due = '{{formatDate dueAt "datetime"}}';

const ENTRIES: Entry[] = [
  {
    event: 'received', audience: 'citizen', channels: CITIZEN,
    text: {
      en: ['Grievance {{trackingCode}} received', `We have received your grievance {{trackingCode}} ({{category}}). What happens next: it will be acknowledged by ${ack} and we aim to resolve it by ${res}. If it is not resolved in time it goes to a higher level automatically. Follow it at {{trackingUrl}}`],
      fr: ['Réclamation {{trackingCode}} reçue', `Nous avons reçu votre réclamation {{trackingCode}} ({{category}}). La suite : accusé de réception au plus tard le ${ack}, résolution visée avant le ${res}. Sans solution dans les délais, elle passe automatiquement au niveau supérieur. Suivi : {{trackingUrl}}`],
      hi: ['शिकायत {{trackingCode}} प्राप्त हुई', `आपकी शिकायत {{trackingCode}} ({{category}}) प्राप्त हो गई है। आगे क्या होगा: ${ack} तक पावती दी जाएगी और ${res} तक समाधान का लक्ष्य है। समय पर समाधान न होने पर यह अपने आप उच्च स्तर पर जाएगी। स्थिति देखें: {{trackingUrl}}`],
    },
  },
  {
    event: 'acknowledged', audience: 'citizen', channels: CITIZEN,
    text: {
      en: ['Grievance {{trackingCode}} acknowledged', `Your grievance {{trackingCode}} has been acknowledged by {{department}}. Expected resolution by ${res}.`],
      fr: ['Réclamation {{trackingCode}} prise en compte', `Votre réclamation {{trackingCode}} est prise en compte par {{department}}. Résolution prévue avant le ${res}.`],
      hi: ['शिकायत {{trackingCode}} स्वीकार की गई', `आपकी शिकायत {{trackingCode}} {{department}} द्वारा स्वीकार कर ली गई है। ${res} तक समाधान अपेक्षित है।`],
    },
  },
  {
    event: 'assigned', audience: 'assignee', channels: STAFF,
    text: {
      en: ['Case {{trackingCode}} assigned to you', `Case {{trackingCode}} ({{category}}) has been assigned to you. Resolve by ${res}.`],
      fr: ['Dossier {{trackingCode}} qui vous est attribué', `Le dossier {{trackingCode}} ({{category}}) vous a été attribué. À résoudre avant le ${res}.`],
      hi: ['मामला {{trackingCode}} आपको सौंपा गया', `मामला {{trackingCode}} ({{category}}) आपको सौंपा गया है। ${res} तक समाधान करें।`],
    },
  },
  {
    event: 'in_progress', audience: 'citizen', channels: CITIZEN,
    text: {
      en: ['Work started on {{trackingCode}}', 'An officer has started work on your grievance {{trackingCode}}.'],
      fr: ['Traitement de {{trackingCode}} commencé', 'Un agent a commencé à traiter votre réclamation {{trackingCode}}.'],
      hi: ['{{trackingCode}} पर काम शुरू', 'एक अधिकारी ने आपकी शिकायत {{trackingCode}} पर काम शुरू कर दिया है।'],
    },
  },
  {
    event: 'escalated', audience: 'citizen', channels: CITIZEN,
    text: {
      en: ['Grievance {{trackingCode}} escalated', `Your grievance {{trackingCode}} has gone to a higher level: {{levelName}}. New expected resolution: ${res}.`],
      fr: ['Réclamation {{trackingCode}} transmise', `Votre réclamation {{trackingCode}} est passée au niveau supérieur : {{levelName}}. Nouvelle échéance : ${res}.`],
      hi: ['शिकायत {{trackingCode}} आगे बढ़ाई गई', `आपकी शिकायत {{trackingCode}} उच्च स्तर पर भेजी गई है: {{levelName}}। नई समाधान तिथि: ${res}।`],
    },
  },
  {
    event: 'escalated', audience: 'level_for_action', channels: STAFF,
    text: {
      en: ['For action: {{trackingCode}} escalated to you', `Case {{trackingCode}} ({{category}}) is now at level {{level}} ({{levelName}}) and is yours to act on. Acknowledge by ${ack}; resolve by ${res}.`],
      fr: ['Pour action : {{trackingCode}} vous est transmis', `Le dossier {{trackingCode}} ({{category}}) est au niveau {{level}} ({{levelName}}) et vous revient. Accusé avant le ${ack} ; résolution avant le ${res}.`],
      hi: ['कार्रवाई हेतु: {{trackingCode}} आपको भेजा गया', `मामला {{trackingCode}} ({{category}}) अब स्तर {{level}} ({{levelName}}) पर है और आपकी कार्रवाई हेतु है। ${ack} तक पावती, ${res} तक समाधान।`],
    },
  },
  {
    event: 'escalated', audience: 'levels_for_information', channels: STAFF,
    text: {
      en: ['For information: {{trackingCode}} escalated', 'Case {{trackingCode}} has been escalated to level {{level}} ({{levelName}}). No action is needed from you.'],
      fr: ['Pour information : {{trackingCode}} transmis', "Le dossier {{trackingCode}} est passé au niveau {{level}} ({{levelName}}). Aucune action n'est attendue de vous."],
      hi: ['सूचना हेतु: {{trackingCode}} आगे बढ़ाया गया', 'मामला {{trackingCode}} स्तर {{level}} ({{levelName}}) पर भेजा गया है। आपसे कोई कार्रवाई अपेक्षित नहीं है।'],
    },
  },
  {
    event: 'resolved', audience: 'citizen', channels: CITIZEN,
    text: {
      en: ['Grievance {{trackingCode}} resolved', 'Your grievance {{trackingCode}} has been resolved: {{resolution}} Please rate it, accept it or appeal within {{autoCloseDays}} days: {{feedbackUrl}}'],
      fr: ['Réclamation {{trackingCode}} résolue', 'Votre réclamation {{trackingCode}} est résolue : {{resolution}} Merci de la noter, de l’accepter ou de faire appel sous {{autoCloseDays}} jours : {{feedbackUrl}}'],
      hi: ['शिकायत {{trackingCode}} का समाधान', 'आपकी शिकायत {{trackingCode}} का समाधान हो गया है: {{resolution}} कृपया {{autoCloseDays}} दिनों में रेटिंग दें, स्वीकार करें या अपील करें: {{feedbackUrl}}'],
    },
  },
  {
    event: 'closed', audience: 'citizen', channels: CITIZEN,
    text: {
      en: ['Grievance {{trackingCode}} closed', 'Your grievance {{trackingCode}} is closed. Thank you. You may still appeal within {{appealWindowDays}} days: {{trackingUrl}}'],
      fr: ['Réclamation {{trackingCode}} clôturée', 'Votre réclamation {{trackingCode}} est clôturée. Merci. Vous pouvez encore faire appel sous {{appealWindowDays}} jours : {{trackingUrl}}'],
      hi: ['शिकायत {{trackingCode}} बंद', 'आपकी शिकायत {{trackingCode}} बंद कर दी गई है। धन्यवाद। आप {{appealWindowDays}} दिनों में अपील कर सकते हैं: {{trackingUrl}}'],
    },
  },
  {
    event: 'rejected', audience: 'citizen', channels: CITIZEN,
    text: {
      en: ['Grievance {{trackingCode}} not admissible', 'Grievance {{trackingCode}} could not be accepted: {{reason}}'],
      fr: ['Réclamation {{trackingCode}} irrecevable', "La réclamation {{trackingCode}} n'a pas pu être acceptée : {{reason}}"],
      hi: ['शिकायत {{trackingCode}} अस्वीकार्य', 'शिकायत {{trackingCode}} स्वीकार नहीं की जा सकी: {{reason}}'],
    },
  },
  {
    event: 'appeal_received', audience: 'citizen', channels: CITIZEN,
    text: {
      en: ['Appeal on {{trackingCode}} received', `Your appeal on {{trackingCode}} has been received and goes to {{levelName}}. Expected answer by ${res}.`],
      fr: ['Appel sur {{trackingCode}} reçu', `Votre appel sur {{trackingCode}} est reçu et transmis à {{levelName}}. Réponse attendue avant le ${res}.`],
      hi: ['{{trackingCode}} पर अपील प्राप्त', `{{trackingCode}} पर आपकी अपील प्राप्त हो गई है और {{levelName}} को भेजी गई है। ${res} तक उत्तर अपेक्षित है।`],
    },
  },
  {
    event: 'appeal_received', audience: 'level_for_action', channels: STAFF,
    text: {
      en: ['For action: appeal on {{trackingCode}}', 'The citizen has appealed the resolution of {{trackingCode}}{{#if reason}}: {{reason}}{{else}}.{{/if}}'],
      fr: ['Pour action : appel sur {{trackingCode}}', 'Le citoyen conteste la résolution de {{trackingCode}}{{#if reason}} : {{reason}}{{else}}.{{/if}}'],
      hi: ['कार्रवाई हेतु: {{trackingCode}} पर अपील', 'नागरिक ने {{trackingCode}} के समाधान के विरुद्ध अपील की है{{#if reason}}: {{reason}}{{else}}।{{/if}}'],
    },
  },
  {
    event: 'sla_at_risk', audience: 'assignee', channels: STAFF,
    text: {
      en: ['Reminder: {{trackingCode}} due {{formatDate dueAt "medium"}}', `Case {{trackingCode}} has used most of its time and is due ${due}. Please act on it.`],
      fr: ['Rappel : {{trackingCode}} échéance {{formatDate dueAt "medium"}}', `Le dossier {{trackingCode}} a presque épuisé son délai : échéance ${due}.`],
      hi: ['अनुस्मारक: {{trackingCode}} की समय-सीमा {{formatDate dueAt "medium"}}', `मामला {{trackingCode}} का अधिकांश समय बीत चुका है, समय-सीमा ${due}। कृपया कार्रवाई करें।`],
    },
  },
  {
    event: 'sla_breached', audience: 'assignee', channels: STAFF,
    text: {
      en: ['Overdue: {{trackingCode}}', `Case {{trackingCode}} missed its deadline of ${due}.`],
      fr: ['En retard : {{trackingCode}}', `Le dossier {{trackingCode}} a dépassé l'échéance du ${due}.`],
      hi: ['समय-सीमा पार: {{trackingCode}}', `मामला {{trackingCode}} अपनी समय-सीमा ${due} चूक गया है।`],
    },
  },
  {
    event: 'sla_breached', audience: 'department_head', channels: STAFF,
    text: {
      en: ['Overdue in your department: {{trackingCode}}', `Case {{trackingCode}} ({{category}}, level {{level}}) missed its deadline of ${due}.`],
      fr: ['En retard dans votre service : {{trackingCode}}', `Le dossier {{trackingCode}} ({{category}}, niveau {{level}}) a dépassé l'échéance du ${due}.`],
      hi: ['आपके विभाग में समय-सीमा पार: {{trackingCode}}', `मामला {{trackingCode}} ({{category}}, स्तर {{level}}) अपनी समय-सीमा ${due} चूक गया है।`],
    },
  },
  {
    event: 'transfer_requested', audience: 'department_head', channels: STAFF,
    text: {
      en: ['Transfer requested for {{trackingCode}}', '{{actor}} asks to transfer case {{trackingCode}} to {{toDepartment}}: {{reason}}'],
      fr: ['Transfert demandé pour {{trackingCode}}', '{{actor}} demande le transfert du dossier {{trackingCode}} vers {{toDepartment}} : {{reason}}'],
      hi: ['{{trackingCode}} के स्थानांतरण का अनुरोध', '{{actor}} मामला {{trackingCode}} को {{toDepartment}} में भेजना चाहते हैं: {{reason}}'],
    },
  },
  {
    event: 'transfer_decided', audience: 'citizen', channels: CITIZEN,
    text: {
      en: ['Grievance {{trackingCode}}: handling department', 'Your grievance {{trackingCode}} is handled by {{department}}.'],
      fr: ['Réclamation {{trackingCode}} : service chargé', 'Votre réclamation {{trackingCode}} est traitée par {{department}}.'],
      hi: ['शिकायत {{trackingCode}}: ज़िम्मेदार विभाग', 'आपकी शिकायत {{trackingCode}} {{department}} द्वारा देखी जा रही है।'],
    },
  },
  {
    event: 'transfer_decided', audience: 'department_head', channels: ALERT,
    text: {
      en: ['Transfer of {{trackingCode}}: {{decision}}', 'The transfer of case {{trackingCode}} was {{decision}} by {{actor}}.'],
      fr: ['Transfert de {{trackingCode}} : {{decision}}', 'Le transfert du dossier {{trackingCode}} a été {{decision}} par {{actor}}.'],
      hi: ['{{trackingCode}} का स्थानांतरण: {{decision}}', 'मामला {{trackingCode}} का स्थानांतरण {{actor}} द्वारा {{decision}}।'],
    },
  },
  {
    event: 'feedback_received', audience: 'assignee', channels: ALERT,
    text: {
      en: ['Feedback on {{trackingCode}}: {{rating}}/5', 'The citizen rated the handling of {{trackingCode}} {{rating}} out of 5.'],
      fr: ['Avis sur {{trackingCode}} : {{rating}}/5', 'Le citoyen a noté le traitement de {{trackingCode}} {{rating}} sur 5.'],
      hi: ['{{trackingCode}} पर प्रतिक्रिया: {{rating}}/5', 'नागरिक ने {{trackingCode}} के निपटारे को 5 में से {{rating}} अंक दिए।'],
    },
  },
];

export const TEMPLATES = ENTRIES.flatMap(({ event, audience, channels, text }) =>
  channels.map((channel) => ({
    event,
    channel,
    audience,
    subject: { en: text.en[0], fr: text.fr[0], hi: text.hi[0] },
    body: { en: text.en[1], fr: text.fr[1], hi: text.hi[1] },
  }))
);
