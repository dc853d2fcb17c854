/* Keeps the newest message in view, as chat apps do, unless the person has scrolled back to
   read: then new activity shows a "New messages" button that jumps down again. */
/* global ResizeObserver, MutationObserver, Element */
'use strict';

/** Within this many pixels of the end counts as "at the newest message". */
const AT_END_SLACK_PX = 48;

/**
 * @param {HTMLElement} list the scrolling message list
 * @param {HTMLButtonElement} jump the "New messages" button, hidden while following
 */
export function followNewest(list, jump) {
  let following = true;
  let lastTop = list.scrollTop;

  const atEnd = () => list.scrollHeight - list.scrollTop - list.clientHeight <= AT_END_SLACK_PX;

  function toNewest() {
    following = true;
    jump.hidden = true;
    list.scrollTop = list.scrollHeight;
    lastTop = list.scrollTop;
  }

  // Only moving up means "reading back": growing content (an image loading) never moves
  // scrollTop, so it cannot be mistaken for the person scrolling away.
  list.addEventListener('scroll', () => {
    if (list.scrollTop < lastTop - 1) following = false;
    if (atEnd()) {
      following = true;
      jump.hidden = true;
    }
    lastTop = list.scrollTop;
  });

  // Images load, statuses change length, the window or the phone's keyboard resizes the list:
  // whatever changes the height, the newest message stays in view while following.
  const resized = new ResizeObserver(() => {
    if (following) toNewest();
  });
  resized.observe(list);
  new MutationObserver((changes) => {
    for (const change of changes)
      for (const node of change.addedNodes) if (node instanceof Element) resized.observe(node);
  }).observe(list, { childList: true });

  jump.addEventListener('click', () => toNewest());

  return {
    /** After the page (re)loads, a channel switch, or the person's own send. */
    toNewest,
    /** Something new arrived: follow it, or say so when the person is reading back. */
    arrived() {
      if (following) toNewest();
      else jump.hidden = false;
    },
  };
}
