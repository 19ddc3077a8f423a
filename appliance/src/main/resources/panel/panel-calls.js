// b24bridge control panel: the calls list (also the dashboard's latest calls) and its recordings, played in the
// page: an <audio> element streams the call's recording from the appliance (GET /api/recordings/{call}, the
// session's cookie; ranges, so it can be wound). Nothing is fetched before the user presses play (preload none).
'use strict';

Object.assign(I18N.ru, { 'col.recording': 'Запись', 'calls.listen': 'Запись звонка с номера', 'col.client': 'Клиент в CRM',
  'ent.LEAD': 'Лид', 'ent.DEAL': 'Сделка', 'ent.CONTACT': 'Контакт', 'ent.COMPANY': 'Компания',
  'calls.card': 'открыть карточку в Bitrix24' });
Object.assign(I18N.en, { 'col.recording': 'Recording', 'calls.listen': 'Recording of the call from', 'col.client': 'CRM client',
  'ent.LEAD': 'Lead', 'ent.DEAL': 'Deal', 'ent.CONTACT': 'Contact', 'ent.COMPANY': 'Company',
  'calls.card': 'open the card in Bitrix24' });

// withPlayer: a recording column (not on the dashboard, whose table is redrawn every 5 s: it would cut a recording off)
function callsTable(rows, id, withPlayer) {
  const cols = ['startedAt', 'direction', 'clientNumber', 'client', 'did', 'route', 'leadSource', 'operator', 'status',
    'waitSeconds', 'talkSeconds'].concat(withPlayer ? ['recording'] : [], ['vote', 'crm']);
  const num = ['waitSeconds', 'talkSeconds', 'vote'];
  return el('div', { class: 'scroll' }, el('table', { id }, el('thead', {}, el('tr', {}, cols.map((c) => el('th', { scope: 'col', class: num.includes(c) ? 'num' : null, text: t('col.' + c) })))),
    el('tbody', {}, rows.map((r) => el('tr', { 'data-call': r.call }, cols.map((c) => {
      const v = r[c];
      if (c === 'startedAt') return el('td', { text: fmtTime(v) });
      if (c === 'direction') return el('td', { text: t('dir.' + v) });
      if (c === 'client') {
        // the CRM entity the call is bound to, a link to its card on the box (the appliance does not keep names)
        if (!v) return el('td', {});
        const label = (I18N[lang]['ent.' + v.type] ? t('ent.' + v.type) : v.type) + ' ' + v.id;
        return el('td', { class: 'client' }, v.url ? el('a', { href: v.url, target: '_blank', rel: 'noopener noreferrer',
          title: t('calls.card'), text: label }) : label);
      }
      if (c === 'recording') {
        return el('td', { class: 'play' }, v ? el('audio', { controls: true, preload: 'none',
          src: '/api/recordings/' + encodeURIComponent(r.call), 'aria-label': t('calls.listen') + ' ' + (r.clientNumber || '') }) : null);
      }
      if (c === 'status') return el('td', {}, el('span', { class: 'state state-' + v, text: t('st.' + v) }));
      if (c === 'crm') {
        return el('td', { class: 'muted crm' }, (v || []).map((d) => el('div', { text: d.kind.replace(/_/g, ' ') + ' '
          + (d.state === 'done' ? '✓' : d.state) + (d.doneAt ? ' ' + new Date(d.doneAt).toLocaleTimeString(lang === 'ru' ? 'ru-RU' : 'en-GB') : '') })));
      }
      return el('td', { class: num.includes(c) ? 'num' : null, text: v === null || v === undefined ? '' : v });
    }))))));
}

async function calls(main) {
  const q = new URLSearchParams(location.hash.split('?')[1] || '');
  const inputs = {
    since: el('input', { type: 'date', id: 'calls-since', value: q.get('since') || daysAgo(7) }),
    until: el('input', { type: 'date', id: 'calls-until', value: q.get('until') || today() }),
    number: el('input', { id: 'calls-number', value: q.get('number') || '', inputmode: 'tel' }),
    operator: el('input', { id: 'calls-operator', value: q.get('operator') || '', size: 6 }),
    route: el('input', { id: 'calls-route', value: q.get('route') || '' })
  };
  const query = () => Object.entries(inputs).filter(([, i]) => i.value).map(([k, i]) => k + '=' + encodeURIComponent(i.value)).join('&');
  const form = el('form', { class: 'filters', onsubmit: (ev) => { ev.preventDefault(); location.hash = '#/calls?' + query(); } },
    Object.entries(inputs).map(([k, i]) => el('label', { for: i.id }, t('calls.' + k), i)),
    el('button', { type: 'submit', id: 'calls-apply', text: t('calls.apply') }),
    el('a', { class: 'button secondary', id: 'calls-csv', href: '/api/calls/csv?' + query(), download: 'b24bridge-calls.csv', text: t('calls.csv') }));
  const r = await api('GET', '/api/calls?' + query());
  if (!r.ok) { main.replaceChildren(el('h1', { text: t('calls.title') }), form); return fail(r); }
  main.replaceChildren(el('h1', { text: t('calls.title') }), form,
    r.data.calls.length ? callsTable(r.data.calls, 'calls-table', true) : el('p', { id: 'calls-empty', text: t('calls.empty') }));
}

