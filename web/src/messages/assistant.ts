/**
 * Strings of the shopper assistant: the <vitrine-assistant> element on shop pages (its `lang`
 * attribute or the browser's language picks a table) and the studio's Assistant screen.
 */
export const en = {
  'assistant.title': 'Ask about this product',
  'assistant.intro':
    'Send a photo and a question: is it the same item? which size? I answer from the catalog and the size chart.',
  'assistant.question': 'Your question',
  'assistant.placeholder': 'Is this the same as the one I bought? Does it run large?',
  'assistant.photo': 'Add a photo',
  'assistant.photoChosen': 'Photo: {name}',
  'assistant.removePhoto': 'Remove the photo',
  'assistant.send': 'Send',
  'assistant.sending': 'Looking at it…',
  'assistant.you': 'You',
  'assistant.bot': 'Assistant',
  'assistant.verdict.same': 'Same item',
  'assistant.verdict.other_color': 'Same style, other colour',
  'assistant.verdict.different': 'Not the same item',
  'assistant.verdict.unsure': 'Not sure',
  'assistant.size': 'Size {size}',
  'assistant.handoff': 'A colleague will follow up on this.',
  'assistant.photoType': 'The photo must be a JPEG, PNG or WebP image.',
  'assistant.photoSize': 'The photo is larger than 10 MB.',
  'assistant.empty': 'Write a question or add a photo.',
  'assistant.failed': 'The assistant did not answer: {message}',
  'assistant.unauthorized': 'The assistant’s token expired; reload the page.',
  'assistant.yourPhoto': 'Your photo',
} as const;

export type AssistantMessageId = keyof typeof en;

export const zh: Record<AssistantMessageId, string> = {
  'assistant.title': '咨询这件商品',
  'assistant.intro': '发一张照片问问看:是不是同款?选什么尺码?我按商品资料和尺码表回答。',
  'assistant.question': '你的问题',
  'assistant.placeholder': '这件和我上次买的是同款吗?尺码偏大吗?',
  'assistant.photo': '添加照片',
  'assistant.photoChosen': '照片:{name}',
  'assistant.removePhoto': '移除照片',
  'assistant.send': '发送',
  'assistant.sending': '正在查看…',
  'assistant.you': '你',
  'assistant.bot': '助手',
  'assistant.verdict.same': '是同款',
  'assistant.verdict.other_color': '同款不同色',
  'assistant.verdict.different': '不是同款',
  'assistant.verdict.unsure': '无法确定',
  'assistant.size': '建议 {size} 码',
  'assistant.handoff': '已转给客服同事跟进。',
  'assistant.photoType': '照片必须是 JPEG、PNG 或 WebP 格式。',
  'assistant.photoSize': '照片超过 10 MB。',
  'assistant.empty': '写个问题或添加一张照片。',
  'assistant.failed': '助手没有回答:{message}',
  'assistant.unauthorized': '助手的令牌已过期,请刷新页面。',
  'assistant.yourPhoto': '你的照片',
};

export type AssistantTranslate = (id: AssistantMessageId, values?: Record<string, string | number>) => string;

export function assistantTranslator(lang: 'en' | 'zh'): AssistantTranslate {
  const table = lang === 'zh' ? zh : en;
  return (id, values = {}) =>
    table[id].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''));
}

export function pickAssistantLang(attribute: string | null): 'en' | 'zh' {
  const wanted = attribute || navigator.language || 'en';
  return wanted.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}
