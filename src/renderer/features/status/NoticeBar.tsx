import { useLiveQuery } from '../../lib/live-query';
import { useApi } from '../../lib/client';
import { Icon } from '../../ui/icons';

/** Things the core needs the person to know (e.g. a damaged database was quarantined and what was recovered). */
export function NoticeBar() {
  const api = useApi();
  const notices = useLiveQuery(
    'notices',
    (a) => a.invoke('app.notices', {}),
    (a, refresh) => a.subscribe('app.notice', refresh),
  );
  if (!notices.data?.length) return null;
  return (
    <div className="notices">
      {notices.data.map((notice) => (
        <div
          key={notice.id}
          className={`banner ${notice.level}`}
          role={notice.level === 'error' ? 'alert' : 'status'}
        >
          <Icon name="alert" size={16} />
          <span>
            <strong>{notice.title}</strong> {notice.message}
          </span>
          <button
            type="button"
            className="icon-button"
            aria-label="Dismiss notice"
            onClick={() => void api.invoke('app.dismissNotice', { id: notice.id }).then(notices.reload)}
          >
            <Icon name="close" size={14} />
          </button>
        </div>
      ))}
    </div>
  );
}
