document.title += " one";
