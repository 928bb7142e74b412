// Minimal review queue: lists open tasks from the REST API (the full workspace arrives with the web app issue).
const list = document.getElementById('tasks');
const status = document.getElementById('status');
const count = document.getElementById('count');

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) node.setAttribute(key, value);
  // textContent only: clinical text is never interpreted as HTML.
  for (const child of children)
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

function label(type) {
  return type.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

async function load() {
  try {
    const response = await fetch('/api/tasks?limit=100', { headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`the server answered ${response.status}`);
    const body = await response.json();
    list.replaceChildren();
    count.textContent = `(${body.total})`;
    status.textContent =
      body.total === 0 ? 'No tasks waiting. New discharges appear here within seconds.' : '';
    for (const task of body.tasks) {
      const items = el('ul', { class: 'items' });
      for (const item of task.items) {
        items.append(
          el(
            'li',
            {},
            el('span', { class: `badge ${item.priority ?? ''}` }, item.priority ?? ''),
            ' ',
            el('strong', {}, `${label(item.type ?? 'item')}: ${item.drug ?? ''}`),
            ' — ',
            el('span', { class: 'action' }, item.suggestedAction ?? ''),
          ),
        );
      }
      list.append(
        el(
          'li',
          { class: `task ${task.priority}` },
          el('h3', {}, `${label(task.type)} — ${task.patient.display}`),
          el(
            'p',
            { class: 'meta' },
            el('span', { class: `badge ${task.priority}` }, task.priority),
            ` ${task.status} · created ${new Date(task.createdAt).toLocaleString()}`,
            task.dueAt ? ` · due ${new Date(task.dueAt).toLocaleDateString()}` : '',
          ),
          task.summary ? el('p', {}, task.summary) : '',
          items,
        ),
      );
    }
  } catch (error) {
    status.textContent = `Could not load tasks: ${error.message}. Retrying…`;
  }
}

await load();
setInterval(load, 5000);
