/**
 * Strings of <vitrine-picker>. The picker is its own bundle on other sites' pages, so it does not go
 * through the studio's i18n.ts (which reads localStorage and sets the page's lang): its `lang`
 * attribute, or the browser's language, picks one of these tables.
 */
export const en = {
  'picker.open': 'Generate image',
  'picker.title': 'Generate an image',
  'picker.close': 'Close',
  'picker.mode': 'Start from',
  'picker.mode.prompt': 'A description',
  'picker.mode.template': 'A template',
  'picker.prompt': 'Description',
  'picker.promptPlaceholder': 'A linen shirt on a light oak table, soft morning light',
  'picker.template': 'Template',
  'picker.brand': 'Brand',
  'picker.brand.none': 'No brand',
  'picker.count': 'Images',
  'picker.style': 'Style',
  'picker.style.none': 'No style preset',
  'picker.size': 'Size',
  'picker.size.template': "The template's own size",
  'picker.size.square': 'Square 1024 × 1024',
  'picker.size.landscape': 'Landscape 1920 × 1080',
  'picker.size.portrait': 'Portrait 1080 × 1350',
  'picker.size.small': 'Small 800 × 800',
  'picker.generate': 'Generate',
  'picker.queued': 'Waiting in the queue…',
  'picker.progress': 'Generating… {percent}%',
  'picker.done': '{count} images ready: pick one',
  'picker.failed': 'The generation failed: {message}',
  'picker.missing': 'Fill in the description, or the template’s required fields, first.',
  'picker.loadFailed': 'Vitrine did not answer: {message}',
  'picker.unauthorized':
    'Vitrine refused the picker: its token expired or was revoked (or, on Vitrine’s own site, nobody is signed in).',
  'picker.results': 'Pick an image',
  'picker.image': 'Image {n} of {total}',
  'picker.quality': 'Quality {score}: every check passed',
  'picker.qualityFailed': 'Quality {score}: failed {checks}',
  'picker.qualityUnknown': 'Not checked',
  'picker.warnings': 'Before you insert',
  'picker.alt': 'Alt text',
  'picker.altHint': 'What the image shows, for people who cannot see it.',
  'picker.altMissing': 'Alt text: describe the image before inserting it.',
  'picker.insert': 'Insert',
  'picker.cancel': 'Cancel',
  'picker.noModel.title': 'No image model is configured',
  'picker.noModel.body':
    'A description needs an image model: the server sets one of OPENAI_API_KEY, STABILITY_API_KEY, BEDROCK_REGION, COMFYUI_URL or A1111_URL. Start from a template, or make a typographic card of the text.',
  'picker.noModel.card': 'Make a typographic card',
} as const;

export const zh: Record<keyof typeof en, string> = {
  'picker.open': '生成图片',
  'picker.title': '生成一张图片',
  'picker.close': '关闭',
  'picker.mode': '起点',
  'picker.mode.prompt': '一段描述',
  'picker.mode.template': '一个模板',
  'picker.prompt': '描述',
  'picker.promptPlaceholder': '浅色橡木桌上的亚麻衬衫，柔和的晨光',
  'picker.template': '模板',
  'picker.brand': '品牌',
  'picker.brand.none': '不使用品牌',
  'picker.count': '图片数量',
  'picker.style': '风格',
  'picker.style.none': '不使用风格预设',
  'picker.size': '尺寸',
  'picker.size.template': '模板自身尺寸',
  'picker.size.square': '方形 1024 × 1024',
  'picker.size.landscape': '横版 1920 × 1080',
  'picker.size.portrait': '竖版 1080 × 1350',
  'picker.size.small': '小图 800 × 800',
  'picker.generate': '生成',
  'picker.queued': '排队等待中…',
  'picker.progress': '正在生成… {percent}%',
  'picker.done': '已生成 {count} 张图片：请选择一张',
  'picker.failed': '生成失败：{message}',
  'picker.missing': '请先填写描述，或模板的必填项。',
  'picker.loadFailed': 'Vitrine 没有响应：{message}',
  'picker.unauthorized':
    'Vitrine 拒绝了选图组件：令牌已过期或被吊销（在 Vitrine 自己的站点上则是尚未登录）。',
  'picker.results': '选择一张图片',
  'picker.image': '第 {n} 张，共 {total} 张',
  'picker.quality': '质量 {score}：全部检查通过',
  'picker.qualityFailed': '质量 {score}：未通过 {checks}',
  'picker.qualityUnknown': '未检查',
  'picker.warnings': '插入前请注意',
  'picker.alt': '替代文字',
  'picker.altHint': '为看不到图片的人描述图片内容。',
  'picker.altMissing': '替代文字：插入前请描述这张图片。',
  'picker.insert': '插入',
  'picker.cancel': '取消',
  'picker.noModel.title': '未配置图像模型',
  'picker.noModel.body':
    '按描述生成需要图像模型：请在服务器上设置 OPENAI_API_KEY、STABILITY_API_KEY、BEDROCK_REGION、COMFYUI_URL 或 A1111_URL 之一。也可以从模板开始，或把文字排成文字卡片。',
  'picker.noModel.card': '生成文字卡片',
};

export type PickerMessageId = keyof typeof en;
export type PickerLang = 'en' | 'zh';

/** A translator for one language; `{name}` placeholders are filled from `values`. */
export function translator(lang: PickerLang) {
  const table = lang === 'zh' ? zh : en;
  return (id: PickerMessageId, values: Record<string, string | number> = {}) =>
    table[id].replace(/\{(\w+)\}/g, (whole, name: string) => String(values[name] ?? whole));
}

/** The `lang` attribute when it names a language we have, else the browser's. */
export function pickLang(attribute: string | null): PickerLang {
  const wanted = (attribute || navigator.language || 'en').toLowerCase();
  return wanted.startsWith('zh') ? 'zh' : 'en';
}
