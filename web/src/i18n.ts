/** UI strings in English and Simplified Chinese; the browser's language picks one, the user may switch. */
const en = {
  'app.title': 'Vitrine Studio',
  'nav.signOut': 'Sign out',
  'nav.language': '中文',
  'login.heading': 'Sign in to the studio',
  'login.keyLabel': 'API key',
  'login.keyHint': 'The admin key printed at the first start, or one from `vitrine keys create`.',
  'login.submit': 'Sign in',
  'login.invalid': 'That key is not valid or was revoked.',
  'gen.heading': 'Generate',
  'gen.mode': 'Start from',
  'gen.mode.template': 'A template',
  'gen.mode.prompt': 'A description',
  'gen.prompt': 'Description',
  'gen.promptPlaceholder': 'A linen shirt on a light oak table, soft morning light',
  'gen.template': 'Template',
  'gen.brand': 'Brand',
  'gen.brand.none': 'No brand',
  'gen.count': 'Images',
  'gen.size': 'Size',
  'gen.provider': 'Provider',
  'gen.provider.auto': 'Automatic (routing rules)',
  'gen.estimate': 'Estimated cost',
  'gen.estimating': 'Estimating…',
  'gen.submit': 'Generate',
  'gen.submitting': 'Generating…',
  'job.queued': 'Queued',
  'job.running': 'Rendering',
  'job.succeeded': 'Done',
  'job.failed': 'Failed',
  'job.canceled': 'Canceled',
  'job.image': 'Image',
  'gallery.heading': 'Gallery',
  'gallery.download': 'Download',
  'gallery.copy': 'Copy link',
  'gallery.copied': 'Link copied',
  'gallery.regenerate': 'Regenerate with a new seed',
  'gallery.empty': 'Images you generate appear here.',
  'size.template': 'Template default',
  'size.square': 'Square 1:1 (1024×1024)',
  'size.portrait': 'Portrait 4:5 (1080×1350)',
  'size.story': 'Story 9:16 (1080×1920)',
  'size.landscape': 'Landscape 16:9 (1920×1080)',
  'size.small': 'Marketplace thumbnail (800×800)',
} as const;

export type MessageId = keyof typeof en;

const zh: Record<MessageId, string> = {
  'app.title': 'Vitrine 工作室',
  'nav.signOut': '退出登录',
  'nav.language': 'English',
  'login.heading': '登录工作室',
  'login.keyLabel': 'API 密钥',
  'login.keyHint': '首次启动时打印的管理员密钥，或用 `vitrine keys create` 创建的密钥。',
  'login.submit': '登录',
  'login.invalid': '密钥无效或已被吊销。',
  'gen.heading': '生成',
  'gen.mode': '起点',
  'gen.mode.template': '模板',
  'gen.mode.prompt': '文字描述',
  'gen.prompt': '描述',
  'gen.promptPlaceholder': '浅色橡木桌上的亚麻衬衫，柔和的晨光',
  'gen.template': '模板',
  'gen.brand': '品牌',
  'gen.brand.none': '不使用品牌',
  'gen.count': '图片数量',
  'gen.size': '尺寸',
  'gen.provider': '服务商',
  'gen.provider.auto': '自动（按路由规则）',
  'gen.estimate': '预估费用',
  'gen.estimating': '正在估算…',
  'gen.submit': '生成',
  'gen.submitting': '生成中…',
  'job.queued': '排队中',
  'job.running': '渲染中',
  'job.succeeded': '完成',
  'job.failed': '失败',
  'job.canceled': '已取消',
  'job.image': '图片',
  'gallery.heading': '图库',
  'gallery.download': '下载',
  'gallery.copy': '复制链接',
  'gallery.copied': '链接已复制',
  'gallery.regenerate': '换一个随机种子重新生成',
  'gallery.empty': '生成的图片会显示在这里。',
  'size.template': '模板默认',
  'size.square': '方形 1:1（1024×1024）',
  'size.portrait': '竖版 4:5（1080×1350）',
  'size.story': '快拍 9:16（1080×1920）',
  'size.landscape': '横版 16:9（1920×1080）',
  'size.small': '商城缩略图（800×800）',
};

export type Locale = 'en' | 'zh';
const STORAGE_KEY = 'vitrine.locale';

function initialLocale(): Locale {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved === 'en' || saved === 'zh') return saved;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

let current: Locale = initialLocale();
applyDocumentLanguage(current);

/** Screen readers and CJK line breaking follow the page's `lang`, so it tracks the UI language. */
function applyDocumentLanguage(value: Locale): void {
  document.documentElement.lang = value === 'zh' ? 'zh-CN' : 'en';
}
const listeners = new Set<(next: Locale) => void>();

export function getLocale(): Locale {
  return current;
}

/** The app root subscribes and re-renders the whole tree, so every `t()` call sees the new language. */
export function onLocaleChange(listener: (next: Locale) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function setLocale(next: Locale): void {
  // Only the language choice is kept in localStorage; the session lives in an HttpOnly cookie.
  localStorage.setItem(STORAGE_KEY, next);
  current = next;
  applyDocumentLanguage(next);
  for (const listener of listeners) listener(next);
}

export function t(id: MessageId): string {
  return current === 'zh' ? zh[id] : en[id];
}
