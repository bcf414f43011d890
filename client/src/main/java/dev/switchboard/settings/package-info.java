/**
 * How a setting's text becomes a value: {@link dev.switchboard.settings.SettingText} parses what a system property
 * (or an environment variable) holds, with errors that name the setting and the text seen. It reads nothing itself:
 * each component's {@code *Context} is the one place that reads its properties ({@code RouterContext},
 * {@code ClientContext}, {@code IpcContext}, {@code ProcessContext}, {@code OrchestratorContext}) and hands the text
 * here. Knows nothing of the rest of Switchboard.
 */
package dev.switchboard.settings;
