/* global H5P */
/**
 * H5P.PcmdChoice: one question, one right choice, feedback for each choice.
 *
 * Text from content.json is never assigned to innerHTML: it is parsed with DOMParser (an inert
 * document, where no script runs and nothing loads) and rebuilt from a short allowlist of tags.
 *
 * xAPI: H5P core's triggerXAPIScored() is createXAPIEventTemplate() + setScoredResult() +
 * trigger(). We make the same three calls, adding the question definition and the learner's
 * response in between, which triggerXAPIScored() gives no way to do. The result is one
 * 'answered' statement per check with result.score {min, max, raw, scaled}, result.success,
 * result.completion, result.duration and result.response. Like H5P.MultiChoice, a single
 * question sends no 'completed': H5P core already treats a top-level 'answered' as finished.
 */
H5P.PcmdChoice = (function ($) {
  'use strict';

  var INTERACTION = 'http://adlnet.gov/expapi/activities/cmi.interaction';
  // Formatting kept from the question; other tags are unwrapped, keeping their text.
  var INLINE_TAGS = {
    STRONG: 'strong', B: 'strong', EM: 'em', I: 'em', U: 'u', S: 's', SUB: 'sub', SUP: 'sup', BR: 'br'
  };
  // Dropped with everything inside them.
  var DROP_TAGS = {
    SCRIPT: 1, STYLE: 1, TEMPLATE: 1, IFRAME: 1, OBJECT: 1, EMBED: 1, NOSCRIPT: 1, SVG: 1, MATH: 1
  };
  var DEFAULT_L10N = {
    checkAnswer: 'Kiểm tra',
    retry: 'Làm lại',
    correct: 'Chính xác!',
    incorrect: 'Chưa chính xác.',
    selectOne: 'Hãy chọn một phương án trước khi kiểm tra.',
    correctAnswer: 'Đáp án đúng',
    yourAnswer: 'Lựa chọn của bạn'
  };
  var counter = 0;

  function parse(html) {
    return new DOMParser().parseFromString(String(html || ''), 'text/html').body;
  }

  /** Plain text of a field: H5P stores plain-text fields HTML-escaped. */
  function plainText(html) {
    return (parse(html).textContent || '').replace(/\s+/g, ' ').trim();
  }

  /** Copies allowed formatting from `source` into `target`. */
  function appendSafe(target, source) {
    for (var node = source.firstChild; node; node = node.nextSibling) {
      if (node.nodeType === 3) {
        target.appendChild(document.createTextNode(node.nodeValue));
      }
      else if (node.nodeType === 1) {
        var name = node.nodeName.toUpperCase();
        if (DROP_TAGS[name]) {
          continue;
        }
        if (name === 'P' || name === 'DIV') {
          // A <legend> takes only phrasing content: paragraphs become block spans.
          target.appendChild(appendSafe(element('span', 'h5p-pcmd-choice-paragraph'), node));
        }
        else if (INLINE_TAGS[name]) {
          target.appendChild(appendSafe(document.createElement(INLINE_TAGS[name]), node));
        }
        else {
          appendSafe(target, node);
        }
      }
    }
    return target;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function PcmdChoice(params, contentId, extras) {
    H5P.EventDispatcher.call(this);
    params = params || {};
    this.contentId = contentId;
    this.extras = extras || {};
    this.question = typeof params.question === 'string' ? params.question : '';
    this.choices = (Array.isArray(params.choices) ? params.choices : []).filter(function (choice) {
      return choice && typeof choice.text === 'string';
    });
    this.l10n = $.extend({}, DEFAULT_L10N);
    $.each(params.l10n || {}, function (key, value) {
      if (typeof value === 'string' && DEFAULT_L10N[key] !== undefined) {
        this.l10n[key] = plainText(value) || DEFAULT_L10N[key];
      }
    }.bind(this));
    this.uid = 'h5p-pcmd-choice-' + (++counter);
    this.selected = null;
    this.checked = false;
    this.solutionShown = false;
    this.dom = null;

    var state = this.extras.previousState;
    if (state && typeof state.answer === 'number' && this.choices[state.answer]) {
      this.selected = state.answer;
    }
  }

  PcmdChoice.prototype = Object.create(H5P.EventDispatcher.prototype);
  PcmdChoice.prototype.constructor = PcmdChoice;

  PcmdChoice.prototype.attach = function ($container) {
    var self = this;
    var root = $container.get(0);
    $container.addClass('h5p-pcmd-choice');
    while (root.firstChild) {
      root.removeChild(root.firstChild);
    }

    var fieldset = element('fieldset', 'h5p-pcmd-choice-fieldset');
    var legend = appendSafe(element('legend', 'h5p-pcmd-choice-question'), parse(this.question));
    fieldset.appendChild(legend);

    var list = element('div', 'h5p-pcmd-choice-options');
    var rows = [];
    this.choices.forEach(function (choice, index) {
      var row = element('div', 'h5p-pcmd-choice-option');
      var input = element('input', 'h5p-pcmd-choice-input');
      input.type = 'radio';
      input.name = self.uid;
      input.id = self.uid + '-' + index;
      input.value = String(index);
      input.checked = self.selected === index;
      input.addEventListener('change', function () {
        if (input.checked) {
          self.select(index);
        }
      });
      var label = element('label', 'h5p-pcmd-choice-label');
      label.htmlFor = input.id;
      label.appendChild(element('span', 'h5p-pcmd-choice-text', plainText(choice.text)));
      var mark = element('span', 'h5p-pcmd-choice-mark');
      label.appendChild(mark);
      row.appendChild(input);
      row.appendChild(label);
      list.appendChild(row);
      rows.push({row: row, input: input, mark: mark});
    });
    fieldset.appendChild(list);

    // role=status is a polite live region: the result is read out without moving focus there.
    var feedback = element('div', 'h5p-pcmd-choice-feedback');
    feedback.setAttribute('role', 'status');

    var buttons = element('div', 'h5p-pcmd-choice-buttons');
    var check = element('button', 'h5p-pcmd-choice-button h5p-pcmd-choice-check', this.l10n.checkAnswer);
    check.type = 'button';
    check.addEventListener('click', function () {
      self.check();
    });
    var retry = element('button', 'h5p-pcmd-choice-button h5p-pcmd-choice-retry', this.l10n.retry);
    retry.type = 'button';
    retry.hidden = true;
    retry.addEventListener('click', function () {
      self.resetTask();
      if (self.dom.rows.length) {
        self.dom.rows[0].input.focus();
      }
    });
    buttons.appendChild(check);
    buttons.appendChild(retry);

    root.appendChild(fieldset);
    root.appendChild(feedback);
    root.appendChild(buttons);
    this.dom = {rows: rows, feedback: feedback, check: check, retry: retry};

    // Fires 'attempted' (when the content is registered with H5P) and starts result.duration.
    this.setActivityStarted();
    this.render();
  };

  PcmdChoice.prototype.select = function (index) {
    if (this.checked || this.solutionShown || !this.choices[index]) {
      return;
    }
    this.selected = index;
    this.setFeedback('');
    this.triggerXAPI('interacted');
  };

  PcmdChoice.prototype.check = function () {
    if (this.checked) {
      return;
    }
    if (this.selected === null) {
      this.setFeedback(this.l10n.selectOne, 'h5p-pcmd-choice-warning');
      if (this.dom && this.dom.rows.length) {
        this.dom.rows[0].input.focus();
      }
      return;
    }
    this.checked = true;
    this.render();
    this.trigger(this.createAnsweredEvent());
    if (this.dom) {
      this.dom.retry.focus();
    }
  };

  /** Brings the DOM in line with the state (also after a re-attach). */
  PcmdChoice.prototype.render = function () {
    if (!this.dom) {
      return;
    }
    var self = this;
    var locked = this.checked || this.solutionShown;
    this.dom.rows.forEach(function (item, index) {
      var choice = self.choices[index];
      var chosen = self.selected === index;
      var labels = [];
      item.input.checked = chosen;
      item.input.disabled = locked;
      item.row.classList.toggle('h5p-pcmd-choice-chosen', locked && chosen);
      item.row.classList.toggle('h5p-pcmd-choice-right', self.checked && chosen && choice.correct === true);
      item.row.classList.toggle('h5p-pcmd-choice-wrong', self.checked && chosen && choice.correct !== true);
      item.row.classList.toggle('h5p-pcmd-choice-solution', self.solutionShown && choice.correct === true);
      if (locked && chosen) {
        labels.push(self.l10n.yourAnswer);
      }
      if (self.solutionShown && choice.correct === true) {
        labels.push(self.l10n.correctAnswer);
      }
      // Said in words, not by colour alone.
      item.mark.textContent = labels.length ? ' (' + labels.join('; ') + ')' : '';
    });
    this.dom.check.hidden = locked;
    this.dom.retry.hidden = !locked;
    if (this.checked) {
      var choice = this.choices[this.selected];
      var message = choice.correct === true ? this.l10n.correct : this.l10n.incorrect;
      var extra = plainText(choice.feedback);
      this.setFeedback(extra ? message + ' ' + extra : message,
        choice.correct === true ? 'h5p-pcmd-choice-correct' : 'h5p-pcmd-choice-incorrect');
    }
    else if (!this.solutionShown) {
      this.setFeedback('');
    }
    this.trigger('resize');
  };

  PcmdChoice.prototype.setFeedback = function (text, className) {
    if (!this.dom) {
      return;
    }
    this.dom.feedback.textContent = text;
    this.dom.feedback.className = 'h5p-pcmd-choice-feedback' + (className ? ' ' + className : '');
  };

  /** The scored 'answered' statement for the current choice. */
  PcmdChoice.prototype.createAnsweredEvent = function () {
    var event = this.createXAPIEventTemplate('answered');
    var definition = event.getVerifiedStatementValue(['object', 'definition']);
    if (definition) {
      this.addQuestionToDefinition(definition);
    }
    var score = this.getScore();
    var maxScore = this.getMaxScore();
    event.setScoredResult(score, maxScore, this, true, score === maxScore);
    event.data.statement.result.response = this.selected === null ? '' : String(this.selected);
    return event;
  };

  PcmdChoice.prototype.addQuestionToDefinition = function (definition) {
    var question = plainText(this.question);
    definition.description = {'en-US': question};
    if (!definition.name) {
      // Core names the activity after the content's title only when the player was given one.
      definition.name = {'en-US': H5P.createTitle(question)};
    }
    definition.type = INTERACTION;
    definition.interactionType = 'choice';
    definition.choices = this.choices.map(function (choice, index) {
      return {id: String(index), description: {'en-US': plainText(choice.text)}};
    });
    // Each entry is one acceptable response.
    definition.correctResponsesPattern = [];
    this.choices.forEach(function (choice, index) {
      if (choice.correct === true) {
        definition.correctResponsesPattern.push(String(index));
      }
    });
  };

  // The H5P question-type contract, used by containers such as Question Set.

  PcmdChoice.prototype.getScore = function () {
    var choice = this.selected === null ? null : this.choices[this.selected];
    return choice && choice.correct === true ? 1 : 0;
  };

  PcmdChoice.prototype.getMaxScore = function () {
    return 1;
  };

  PcmdChoice.prototype.getAnswerGiven = function () {
    return this.selected !== null;
  };

  PcmdChoice.prototype.showSolutions = function () {
    this.solutionShown = true;
    this.render();
  };

  PcmdChoice.prototype.resetTask = function () {
    this.selected = null;
    this.checked = false;
    this.solutionShown = false;
    // A retry is a new attempt: its duration counts from now.
    this.activityStartTime = undefined;
    if (this.dom) {
      this.setActivityStarted();
    }
    this.render();
  };

  PcmdChoice.prototype.getXAPIData = function () {
    return {statement: this.createAnsweredEvent().data.statement};
  };

  PcmdChoice.prototype.getCurrentState = function () {
    return this.selected === null ? undefined : {answer: this.selected};
  };

  PcmdChoice.prototype.getTitle = function () {
    return H5P.createTitle(
      (this.extras.metadata && this.extras.metadata.title) || plainText(this.question)
    );
  };

  return PcmdChoice;
})(H5P.jQuery);
