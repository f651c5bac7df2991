// xterm.js writes its cell dimensions and theme into <style> elements and cell colours into style
// attributes, both of which the page's Content-Security-Policy (style-src 'self', no
// 'unsafe-inline') refuses. Their text goes through the CSSOM instead, which CSP does not govern:
// a constructed style sheet adopted by the document, and element.style.cssText. The element xterm
// gets for a <style> is an inert <template> (an empty <style> in the page is a violation too).

function adoptedSheetFor(doc: Document, el: HTMLElement): void {
  const sheet = new CSSStyleSheet();
  doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
  let text = '';
  Object.defineProperty(el, 'textContent', {
    get: () => text,
    set: (value: string | null) => {
      text = value ?? '';
      sheet.replaceSync(text);
    },
  });
  const remove = el.remove.bind(el);
  el.remove = () => {
    doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => s !== sheet);
    remove();
  };
}

export function routeInlineStylesThroughCssom(doc: Document): void {
  const createElement = doc.createElement.bind(doc) as (tag: string, options?: ElementCreationOptions) => HTMLElement;
  doc.createElement = ((tag: string, options?: ElementCreationOptions) => {
    if (tag.toLowerCase() !== 'style') return createElement(tag, options);
    const el = createElement('template');
    adoptedSheetFor(doc, el);
    return el;
  }) as typeof doc.createElement;
  const setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (this: Element, name: string, value: string) {
    if (name.toLowerCase() === 'style' && this instanceof HTMLElement) {
      this.style.cssText = value;
      return;
    }
    setAttribute.call(this, name, value);
  };
}
