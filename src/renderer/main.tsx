import './zod-jitless';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createClient } from './api';
import { App } from './app/App';
import { CaptureApp, isCaptureRoute } from './features/capture/CaptureApp';
import { ClientProvider } from './lib/client';
import { ToastProvider } from './ui/toast';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

createRoot(root).render(
  <StrictMode>
    <ClientProvider client={createClient()}>
      <ToastProvider>{isCaptureRoute() ? <CaptureApp /> : <App />}</ToastProvider>
    </ClientProvider>
  </StrictMode>,
);
