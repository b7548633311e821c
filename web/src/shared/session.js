// Signing in to the console or the seller portal: the same login form (#login-password, #login-submit),
// a bearer token kept for this tab only, and the same start of the page (resume the tab's session or
// show the login form). `app` carries the page's pieces:
// {state, tokens, ui, busy, api, account, startApp(), showLogin(), showError(err), clearError()}, where
// `account` names the signed-in account in the login answer and in state ("agent", "user").

/** POST /login with `body`; on success keep the token and the account and start the app. */
export async function signIn(app, body, onFailure) {
  const { state, tokens, ui, busy } = app;
  busy.login = true;
  ui.loginSubmit.disabled = true;
  try {
    const answer = await app.api("POST", "/login", body);
    state.token = answer.token;
    tokens.save(answer.token);
    state[app.account] = answer[app.account];
    ui.password.value = "";
    app.clearError();
    app.startApp();
  } catch (err) {
    app.showError(err);
    onFailure();
  } finally {
    busy.login = false;
    ui.loginSubmit.disabled = false;
  }
}

/** A tab that still has a token resumes its session (GET /me); else, or when it is gone, the login form. */
export async function resumeSession(app) {
  const { state, tokens } = app;
  if (!state.token) {
    app.showLogin();
    return;
  }
  try {
    state[app.account] = await app.api("GET", "/me");
    app.startApp();
  } catch (err) {
    if (err.status === 401) return; // the api's 401 handler showed the login form
    state.token = null;
    tokens.save(null);
    app.showLogin();
    app.showError(err);
  }
}

/** Shows the app (signed in) or the login form: one of the page's two views. */
export function showView(ui, signedIn) {
  ui.loginView.hidden = signedIn;
  ui.appView.hidden = !signedIn;
}
