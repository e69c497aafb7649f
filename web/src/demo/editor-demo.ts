/**
 * The picker demo page (/demo/editor): a TipTap editor whose toolbar holds <vitrine-picker>, loaded
 * from /picker.js by a plain <script src> as a CMS would. On `vitrine:insert` the picked image goes
 * into the document at the cursor. Served by Vitrine, so the picker uses the studio session.
 */
import { Editor } from '@tiptap/core';
import Image from '@tiptap/extension-image';
import StarterKit from '@tiptap/starter-kit';
import './editor-demo.css';

interface InsertDetail {
  url: string;
  alt: string;
}

const STRINGS = {
  en: {
    title: 'Picker demo: a rich-text editor',
    intro:
      'This page loads /picker.js as a CMS would. Sign in to the studio first; then “Generate image” in the toolbar puts a new image at the cursor.',
    toolbar: 'Formatting',
    bold: 'Bold',
    italic: 'Italic',
    editor: 'Article text',
    start: 'Autumn collection. Our linen shirts are back, in three new colours.',
    inserted: 'Image inserted: {alt}',
  },
  zh: {
    title: '选图组件演示：富文本编辑器',
    intro:
      '本页像 CMS 一样通过 /picker.js 加载选图组件。请先登录工作室，然后点击工具栏中的“生成图片”，新图片会插入到光标处。',
    toolbar: '格式',
    bold: '粗体',
    italic: '斜体',
    editor: '文章正文',
    start: '秋季新品。我们的亚麻衬衫回来了，新增三种颜色。',
    inserted: '已插入图片：{alt}',
  },
} as const;

const lang = navigator.language.toLowerCase().startsWith('zh') ? 'zh' : 'en';
const text = STRINGS[lang];
document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
document.title = text.title;

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`The demo page has no #${id}`);
  return found as T;
}

element('demo-title').textContent = text.title;
element('demo-intro').textContent = text.intro;
const toolbar = element('picker').parentElement!;
toolbar.removeAttribute('aria-labelledby');
toolbar.setAttribute('aria-label', text.toolbar);
const bold = element<HTMLButtonElement>('bold');
const italic = element<HTMLButtonElement>('italic');
bold.setAttribute('aria-label', text.bold);
italic.setAttribute('aria-label', text.italic);

const editor = new Editor({
  element: element('editor'),
  // TipTap would add a <style> element, which the page's CSP (style-src 'self') refuses: its few
  // rules are in editor-demo.css instead.
  injectCSS: false,
  extensions: [StarterKit, Image.configure({ inline: false, allowBase64: false })],
  content: `<p>${text.start}</p>`,
  editorProps: { attributes: { 'aria-label': text.editor, 'aria-multiline': 'true', role: 'textbox' } },
});

function syncToolbar() {
  bold.setAttribute('aria-pressed', String(editor.isActive('bold')));
  italic.setAttribute('aria-pressed', String(editor.isActive('italic')));
}
editor.on('selectionUpdate', syncToolbar);
editor.on('transaction', syncToolbar);
bold.addEventListener('click', () => editor.chain().focus().toggleBold().run());
italic.addEventListener('click', () => editor.chain().focus().toggleItalic().run());

// The integration itself: everything a CMS needs is this listener.
document.addEventListener('vitrine:insert', (event) => {
  const { url, alt } = (event as CustomEvent<InsertDetail>).detail;
  editor.chain().focus().setImage({ src: url, alt }).run();
  element('demo-status').textContent = text.inserted.replace('{alt}', alt);
});

// For tests and curious readers in the console: the editor's current HTML.
(window as unknown as { vitrineDemoEditor: Editor }).vitrineDemoEditor = editor;
