/**
 * The status-bar item: the number of scaling hazards the server currently reports (its
 * `stateless/status` notification), or whether the server is starting or stopped. A click opens
 * the report.
 */
import * as vscode from 'vscode';
import type { StatusParams } from '@stateless/language-server/protocol';
import { plural } from './report';

export type ServerState = 'starting' | 'running' | 'stopped';

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('stateless.status', vscode.StatusBarAlignment.Left, 0);
  private status: StatusParams = { findings: 0, files: 0 };
  private state: ServerState = 'starting';

  constructor() {
    this.item.name = 'Stateless';
    this.render();
    this.item.show();
  }

  /** The item's text, for the extension's tests. */
  get text(): string {
    return this.item.text;
  }

  setState(state: ServerState): void {
    this.state = state;
    this.render();
  }

  update(status: StatusParams): void {
    this.status = status;
    this.render();
  }

  dispose(): void {
    this.item.dispose();
  }

  private render(): void {
    const { findings, files } = this.status;
    if (this.state === 'starting') {
      this.item.text = '$(sync~spin) Stateless';
      this.item.tooltip = 'Stateless: starting the language server';
      this.item.command = undefined;
    } else if (this.state === 'stopped') {
      this.item.text = '$(error) Stateless';
      this.item.tooltip = 'Stateless: the language server stopped. Click to restart it.';
      this.item.command = 'stateless.restartServer';
    } else {
      this.item.text = findings === 0 ? '$(check) Stateless' : `$(warning) Stateless: ${findings}`;
      this.item.tooltip =
        findings === 0 ? 'Stateless: no scaling hazards in the analysed files' : `Stateless: ${plural(findings, 'scaling hazard')} in ${plural(files, 'file')}. Click for the report.`;
      this.item.command = 'stateless.showReport';
    }
  }
}
