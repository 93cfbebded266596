// Go's text conventions live in util/go-fmt (the API's messages quote values the Go way too).
export * from '../util/go-fmt';
