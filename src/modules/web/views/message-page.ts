import { Network } from '../../../biblepay/network';
import { Html, html, HtmlValue } from './html';
import { layout } from './layout';

export function messagePage(
  networks: readonly Network[],
  network: Network | null,
  title: string,
  message: HtmlValue,
): Html {
  return layout(
    { title, network, networks },
    html`<h1>${title}</h1>
      <p class="notice">${message}</p>
      <p><a href="/${network ?? networks[0]}/">Back to the pool</a></p>`,
  );
}
