import { escapeHtml, html, jsonForScript, raw } from './html';

describe('html templates', () => {
  it('escapes every interpolated string, so miner-supplied text never becomes markup', () => {
    const name = '<img src=x onerror="alert(1)">&\'';
    expect(html`<td>${name}</td>`.text).toBe(
      '<td>&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#39;</td>',
    );
    expect(html`<a href="/main/miner/${'"><script>'}/"></a>`.text).not.toContain('"><script>');
  });

  it('keeps nested templates and trusted markup as they are and joins lists', () => {
    const h = html; // an alias, so the formatter leaves these one-line templates alone
    const rows = ['a<b', 'c'].map((t) => h`<li>${t}</li>`);
    expect(h`<ul>${rows}</ul>`.text).toBe('<ul><li>a&lt;b</li><li>c</li></ul>');
    expect(h`${raw('<br>')}`.text).toBe('<br>');
  });

  it('renders nothing for null, undefined and false, and numbers and bigints as text', () => {
    expect(html`[${null}${undefined}${false}${0}${12n}]`.text).toBe('[012]');
    expect(escapeHtml('plain')).toBe('plain');
  });

  it('writes JSON that cannot close its script element and keeps bigint exact', () => {
    const text = jsonForScript({
      label: '</script><script>alert(1)</script>',
      big: 2n ** 70n,
    }).text;
    expect(text).not.toContain('</script>');
    expect(JSON.parse(text)).toEqual({
      label: '</script><script>alert(1)</script>',
      big: '1180591620717411303424',
    });
  });
});
