/** Strings of the design features: quality badges, warnings, style packs, the template gallery, posters. */
export const en = {
  'quality.score': 'Quality {score}',
  'quality.passed': 'All checks passed',
  'quality.failed': 'Failed: {checks}',
  'quality.unknown': 'No quality score',
  'quality.warnings': 'Warnings',
  'quality.detailsOf': 'Quality checks of image {index}',
  'pack.label': 'Style pack',
  'pack.auto': "The template's own",
  'gallery.templates': 'Templates',
  'gallery.templatesHint': 'Drawn in the chosen style pack and brand. Pick one to fill it in.',
  'gallery.choose': 'Use {name}',
  'poster.mode': 'A poster brief',
  'poster.brief': 'Brief',
  'poster.briefPlaceholder': '双十一 满300减40 券码 DOUBLE11',
  'poster.briefHint': 'The offer (满减, 折, % off, BOGO, code, dates) is read from it and set large.',
  'noModel.title': 'No image model is configured',
  'noModel.body':
    'A description needs an image model. Set OPENAI_API_KEY, STABILITY_API_KEY, BEDROCK_REGION, COMFYUI_URL or A1111_URL on the server, or make a typographic card of the text with the studio engine.',
  'noModel.card': 'Make a typographic card instead',
};

export const zh: Record<keyof typeof en, string> = {
  'quality.score': '质量 {score}',
  'quality.passed': '全部检查通过',
  'quality.failed': '未通过：{checks}',
  'quality.unknown': '无质量评分',
  'quality.warnings': '警告',
  'quality.detailsOf': '图片 {index} 的质量检查',
  'pack.label': '风格包',
  'pack.auto': '模板默认',
  'gallery.templates': '模板',
  'gallery.templatesHint': '按所选风格包与品牌绘制。点选一个模板后填写内容。',
  'gallery.choose': '使用 {name}',
  'poster.mode': '海报文案',
  'poster.brief': '文案',
  'poster.briefPlaceholder': '双十一 满300减40 券码 DOUBLE11',
  'poster.briefHint': '会自动识别优惠（满减、折扣、买赠、券码、日期）并放大排版。',
  'noModel.title': '未配置图像模型',
  'noModel.body':
    '按描述生成需要图像模型。请在服务器上设置 OPENAI_API_KEY、STABILITY_API_KEY、BEDROCK_REGION、COMFYUI_URL 或 A1111_URL，或改用工作室引擎把文字排成文字卡片。',
  'noModel.card': '改为生成文字卡片',
};
