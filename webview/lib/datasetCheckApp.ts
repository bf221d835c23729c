// The "Dataset Check" page: the report of `gan check` as a readable page (what was found,
// what can be used, classes, image sizes, unreadable files and names without a partner), with
// Check again / Open config / Train buttons. Built with textContent only (dom.ts).
import {
  parseCheckHostMessage,
  type CheckHostMessage,
  type CheckPageMessage,
  type CheckReport,
  type CheckSet,
  type FileNote,
} from '../../src/shared/datasetCheckProtocol';
import { h } from './dom';
import { validated, type Channel } from './vscodeApi';

export type CheckChannel = Channel<CheckPageMessage, CheckHostMessage>;

const basename = (p: string) => p.split(/[\\/]/).pop() ?? p;
const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

function button(
  label: string,
  action: CheckPageMessage['type'],
  post: (m: CheckPageMessage) => void,
  secondary = true,
): HTMLElement {
  const b = h('vscode-button', { 'data-action': action, secondary: secondary || undefined }, label);
  b.addEventListener('click', () => post({ type: action } as CheckPageMessage));
  return b;
}

function table(caption: string, head: string[], rows: (string | number)[][]): HTMLTableElement {
  return h(
    'table',
    {},
    h('caption', { text: caption }),
    h('thead', {}, h('tr', {}, ...head.map((c) => h('th', { scope: 'col', text: c })))),
    h(
      'tbody',
      {},
      ...rows.map((r) =>
        h(
          'tr',
          {},
          ...r.map((c, i) => (i === 0 ? h('th', { scope: 'row', text: String(c) }) : h('td', { text: String(c) }))),
        ),
      ),
    ),
  );
}

function noteList(title: string, items: FileNote[], total: number): HTMLElement {
  return h(
    'details',
    { open: items.length <= 10 || undefined },
    h('summary', { text: `${title} (${total})` }),
    h(
      'ul',
      { class: 'files' },
      ...items.map((n) =>
        h('li', {}, h('code', { text: n.file }), h('span', { class: 'muted', text: ` ${n.reason}` })),
      ),
    ),
    total > items.length
      ? h('p', { class: 'muted', text: `… and ${total - items.length} more (gan check lists them all)` })
      : null,
  );
}

function setSection(s: CheckSet): HTMLElement {
  const counts: (string | number)[][] = s.single
    ? [
        ['Images found', s.filesA],
        ['Usable images', s.usable],
      ]
    : s.aligned
      ? [
          ['Pairs found', s.filesA],
          ['Usable pairs', s.usable],
        ]
      : [
          ['A images found', s.filesA],
          ['B images found', s.filesB],
          ['Usable A images', s.usable],
          ['Usable B images', s.usableB ?? 0],
        ];
  if (s.smallerThanImageSize) counts.push(['Smaller than imageSize', s.smallerThanImageSize]);
  return h(
    'section',
    { class: 'set' },
    h(
      'h2',
      {},
      `${s.role === 'train' ? 'Training set' : 'Held-out set'}: `,
      h('span', { class: 'muted', text: s.describe }),
    ),
    table('Counts', ['', 'Files'], counts),
    s.sizes.length
      ? table(
          'Image sizes (most common first)',
          ['Size', 'Images'],
          s.sizes.map((z) => [z.size, z.count]),
        )
      : null,
    s.unreadable.length ? noteList('Unreadable files: training skips them', s.unreadable, s.unreadable.length) : null,
    s.unmatched.length ? noteList('Files without a partner: left out', s.unmatched, s.unmatched.length) : null,
  );
}

export function renderReport(
  report: CheckReport,
  config: string,
  seconds: number,
  post: (m: CheckPageMessage) => void,
): HTMLElement[] {
  const status = report.ok
    ? h('span', { class: 'status-badge status-finished', text: 'Ready to train' })
    : h('span', { class: 'status-badge status-failed', text: 'Cannot train' });
  return [
    h('h1', {}, `Dataset of ${basename(config)}`),
    h(
      'div',
      { class: 'status-line' },
      status,
      h('span', { class: 'muted', text: `checked in ${seconds.toFixed(1)} s` }),
    ),
    h(
      'div',
      { class: 'actions' },
      button('Check Again', 'recheck', post),
      button('Open Config', 'openConfig', post),
      report.ok ? button('Train', 'train', post, false) : null,
    ),
    table(
      'Experiment',
      ['', ''],
      [
        ['Model', report.model],
        ['Dataset kind', report.dataset],
        ['Image size', `${report.imageSize} × ${report.imageSize}`],
        ['Batch size', report.batchSize],
      ],
    ),
    report.summary ? h('p', { class: 'summary', text: report.summary }) : null,
    report.classes
      ? table(
          'Classes (label order: subfolders sorted by name)',
          ['Class', 'Usable images'],
          report.classes.map((c, k) => [`${k} ${c.name}`, c.count]),
        )
      : null,
    report.problems.length
      ? h(
          'section',
          { class: 'problems', role: 'alert' },
          h('h2', { text: plural(report.problems.length, 'problem') }),
          h('ul', {}, ...report.problems.map((p) => h('li', { class: 'message', text: p }))),
        )
      : null,
    report.warnings.length
      ? h(
          'section',
          { class: 'warnings' },
          h('h2', { text: plural(report.warnings.length, 'warning') }),
          h('ul', {}, ...report.warnings.map((w) => h('li', { text: w }))),
        )
      : null,
    ...report.sets.map(setSection),
  ].filter((x): x is HTMLElement => !!x);
}

export class DatasetCheckApp {
  constructor(
    private readonly root: HTMLElement,
    private readonly channel: CheckChannel,
  ) {
    channel.onMessage(
      validated(parseCheckHostMessage, (m) => {
        channel.setState(m);
        this.render(m);
      }),
    );
    // Shown again after being hidden: the last report at once, the host refreshes it.
    const saved = parseCheckHostMessage(channel.getState());
    if (saved) this.render(saved);
    channel.post({ type: 'ready' });
  }

  private render(m: CheckHostMessage): void {
    const post = (x: CheckPageMessage) => this.channel.post(x);
    if (m.type === 'checking') {
      this.root.replaceChildren(
        h('h1', {}, `Dataset of ${basename(m.config)}`),
        h('p', { class: 'muted', role: 'status', text: 'Reading every image the config trains on…' }),
      );
    } else if (m.type === 'error') {
      this.root.replaceChildren(
        h('h1', {}, `Dataset of ${basename(m.config)}`),
        h('p', { class: 'message', role: 'alert', text: m.message }),
        h(
          'div',
          { class: 'actions' },
          button('Check Again', 'recheck', post),
          button('Open Config', 'openConfig', post),
        ),
      );
    } else {
      this.root.replaceChildren(...renderReport(m.report, m.config, m.seconds, post));
    }
  }
}
