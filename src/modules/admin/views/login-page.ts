import { Html, html } from '../../web/views/html';
import { adminLayout } from './admin-layout';

/** The sign-in form: the operator's token is exchanged for a session cookie. */
export function loginPage(error?: string): Html {
  return adminLayout(
    { title: 'Sign in' },
    html`<section>
      ${error ? html`<p class="notice bad" role="alert">${error}</p>` : ''}
      <form method="post" action="/admin/login">
        <label
          >Admin token
          <input type="password" name="token" autocomplete="current-password" required autofocus
        /></label>
        <button type="submit">Sign in</button>
      </form>
      <p class="muted">
        The token is one of the backend's <code>ADMIN_TOKEN</code> / <code>ADMIN_TOKEN_FILE</code>.
        The session lasts <code>ADMIN_SESSION_HOURS</code>; the JSON API takes the same token as
        <code>Authorization: Bearer …</code>.
      </p>
    </section>`,
  );
}

/** A console page for a refusal or an error (403, 404, 400). */
export function adminMessagePage(title: string, message: string, actor?: string): Html {
  return adminLayout(
    { title, actor },
    html`<section>
      <p>${message}</p>
      <p><a href="/admin">Back to the console</a></p>
    </section>`,
  );
}
