document.title += " two"; console.log("external-2 ran");
