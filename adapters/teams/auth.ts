// How the bot authenticates with the Bot Framework: inbound JWTs are checked by botbuilder's
// ConfigurationBotFrameworkAuthentication (OpenID metadata, keys and their endorsements, issuer, audience,
// serviceUrl claim), configured from SIKO_TEAMS_* and Bot Framework's own endpoint settings, read from the
// environment under their documented names as botbuilder's samples pass them (process.env).
//
// The outbound token: against Microsoft's login hosts botbuilder's stock path (MSAL) is used. With another
// `ToChannelFromBotLoginUrl` (a sovereign cloud's identity provider, or the local one of the tests) MSAL would first
// ask login.microsoftonline.com for instance discovery, which an offline or air-gapped network cannot answer;
// there the token comes from a plain OAuth 2.0 client-credentials request to `<ToChannelFromBotLoginUrl>/oauth2/v2.0/token`,
// the same request MSAL makes after discovery.
import { ConfigurationBotFrameworkAuthentication, ConfigurationServiceClientCredentialFactory } from "botbuilder";
import { AppCredentials, ServiceClientCredentialsFactory } from "botframework-connector";

/** Bot Framework's endpoint settings, with the names its documentation and botbuilder use. */
export const BOT_FRAMEWORK_SETTINGS = [
  "ToBotFromChannelOpenIdMetadataUrl",
  "ToBotFromChannelTokenIssuer",
  "ToChannelFromBotLoginUrl",
  "ToChannelFromBotOAuthScope",
  "OAuthUrl",
  "ToBotFromEmulatorOpenIdMetadataUrl",
  "CallerId",
  "ValidateAuthority",
  "ChannelService",
] as const;

export interface TeamsCredentials {
  appId?: string;
  appPassword?: string;
  appType: "SingleTenant" | "MultiTenant" | "UserAssignedMSI";
  tenantId?: string;
}

const MICROSOFT_LOGIN = [/^https:\/\/login\.microsoftonline\.com\//i, /^https:\/\/login\.microsoftonline\.us\//i];

/** A token obtained without MSAL's instance discovery; cached by botbuilder's AppCredentials like any other. */
class ClientCredentialsToken extends AppCredentials {
  constructor(
    appId: string,
    private readonly secret: string,
    private readonly loginUrl: string,
    scope: string,
  ) {
    super(appId, undefined, scope);
    this.oAuthEndpoint = loginUrl;
  }

  protected override async refreshToken(): Promise<{ accessToken: string; expiresOn: Date }> {
    const scope = this.oAuthScope.endsWith("/.default") ? this.oAuthScope : `${this.oAuthScope}/.default`;
    const res = await fetch(`${this.loginUrl.replace(/\/+$/, "")}/oauth2/v2.0/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "client_credentials", client_id: this.appId, client_secret: this.secret, scope }),
    });
    // The answer may echo the request; only the status is worth a log line.
    if (!res.ok) throw new TokenUnavailable(`token endpoint answered ${res.status}`);
    const body = (await res.json()) as { access_token?: unknown; expires_in?: unknown };
    if (typeof body.access_token !== "string") throw new TokenUnavailable("token endpoint sent no access_token");
    return { accessToken: body.access_token, expiresOn: new Date(Date.now() + Number(body.expires_in ?? 3600) * 1000) };
  }
}

/** No token could be had: nothing was sent to the channel. */
export class TokenUnavailable extends Error {}

class SikoCredentialsFactory extends ServiceClientCredentialsFactory {
  constructor(
    private readonly inner: ConfigurationServiceClientCredentialFactory,
    private readonly creds: TeamsCredentials,
  ) {
    super();
  }

  isValidAppId(appId: string): Promise<boolean> {
    return this.inner.isValidAppId(appId);
  }

  isAuthenticationDisabled(): Promise<boolean> {
    return this.inner.isAuthenticationDisabled();
  }

  async createCredentials(appId: string, audience: string, loginEndpoint: string, validateAuthority: boolean) {
    const custom = loginEndpoint && !MICROSOFT_LOGIN.some((re) => re.test(loginEndpoint));
    if (custom && this.creds.appPassword && !(await this.isAuthenticationDisabled())) {
      if (!(await this.isValidAppId(appId))) throw new Error("Invalid appId.");
      return new ClientCredentialsToken(appId, this.creds.appPassword, loginEndpoint, audience);
    }
    return this.inner.createCredentials(appId, audience, loginEndpoint, validateAuthority);
  }

  // Protects against JSON.stringify (a log line) leaking the secret.
  toJSON(): object {
    return { name: "SikoCredentialsFactory", appId: this.creds.appId };
  }
}

/** botbuilder's authentication for these credentials and endpoint settings. */
export function botFrameworkAuthentication(creds: TeamsCredentials, env: Record<string, string | undefined>): ConfigurationBotFrameworkAuthentication {
  const settings: Record<string, string> = {};
  for (const key of BOT_FRAMEWORK_SETTINGS) {
    const v = env[key];
    if (v !== undefined && v !== "") settings[key] = v;
  }
  const appSettings = {
    MicrosoftAppId: creds.appId ?? "",
    MicrosoftAppPassword: creds.appPassword ?? "",
    MicrosoftAppType: creds.appType,
    MicrosoftAppTenantId: creds.tenantId ?? "",
  };
  const inner = new ConfigurationServiceClientCredentialFactory(creds.appId ? appSettings : {});
  return new ConfigurationBotFrameworkAuthentication({ ...settings, ...appSettings }, new SikoCredentialsFactory(inner, creds));
}
